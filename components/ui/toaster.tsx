'use client';

import { Toaster as Sonner } from 'sonner';

export { toast } from 'sonner';

/**
 * Mounted once, in the console shell (which survives navigations and redirects, so a toast raised just
 * before a redirect stays on screen). Sonner's region is a labelled aria-live list.
 */
export function Toaster() {
  return <Sonner position="bottom-right" closeButton richColors={false} toastOptions={{ className: 'toast', duration: 5000 }} />;
}
