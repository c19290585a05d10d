import { ConsoleShell } from '@/components/console-shell/console-shell';
import { requirePageContext } from '@/lib/auth/request-context';

// Every console page reads live data for the signed-in workspace: never prerender at build time.
export const dynamic = 'force-dynamic';

export default async function ConsoleLayout({ children }: { children: React.ReactNode }) {
  const context = await requirePageContext();
  return <ConsoleShell context={context}>{children}</ConsoleShell>;
}
