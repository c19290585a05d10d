import type { Metadata } from 'next';
import { connection } from 'next/server';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Usage Console', template: '%s · Usage Console' },
  description: 'Build meters, keep events, replay and backfill usage.',
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // Rendered per request, every page: Next puts the Content-Security-Policy nonce (proxy.ts) on its
  // scripts only while rendering a request; a page prerendered at build time would ship scripts the
  // policy refuses.
  await connection();
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
