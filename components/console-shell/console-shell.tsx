import Link from 'next/link';
import { signOutAction } from '@/app/(console)/actions';
import { NavLinks } from '@/components/console-shell/nav-links';
import { WorkspaceSwitcher } from '@/components/console-shell/workspace-switcher';
import { LogOut } from 'lucide-react';
import { Toaster } from '@/components/ui/toaster';
import { TooltipProvider } from '@/components/ui/tooltip';
import { RenderedWorkspaceProvider } from '@/components/ui/use-workspace-action-state';
import type { UserWorkspaceContext } from '@/lib/workspaces/workspace-context';

export function ConsoleShell({ context, children }: { context: UserWorkspaceContext; children: React.ReactNode }) {
  // Every form below sends the workspace this page was rendered for (see useWorkspaceActionState).
  return (
    <RenderedWorkspaceProvider workspaceId={context.workspaceId}>
      <TooltipProvider>
        <div className="shell">
          <a className="skip-link" href="#main">
            Skip to content
          </a>
          <aside className="sidebar">
            <Link href="/" className="brand">
              <span aria-hidden="true" className="brand-mark">◆</span> Usage Console
            </Link>
            <WorkspaceSwitcher current={context.workspaceId} workspaces={context.workspaces} />
            <NavLinks showOwnerLinks={context.role === 'owner'} />
            <div className="account">
              <p className="small">
                <span className="muted">Signed in as</span>
                <br />
                <strong>{context.user.email}</strong>
                <br />
                <span className="role-badge">{context.role}</span>
              </p>
              <form action={signOutAction}>
                <button type="submit" className="button secondary">
                  <LogOut size={16} aria-hidden="true" /> Sign out
                </button>
              </form>
            </div>
          </aside>
          <main id="main" className="console-main" tabIndex={-1}>
            {children}
          </main>
        </div>
        <Toaster />
      </TooltipProvider>
    </RenderedWorkspaceProvider>
  );
}
