'use client';

import { Check, ChevronsUpDown } from 'lucide-react';
import { startTransition, useId } from 'react';
import { switchWorkspaceAction } from '@/app/(console)/actions';
import { DropdownMenu, DropdownMenuContent, DropdownMenuItem, DropdownMenuTrigger } from '@/components/ui/dropdown-menu';
import { useWorkspaceActionState } from '@/components/ui/use-workspace-action-state';
import type { WorkspaceChoice } from '@/lib/workspaces/workspace-context';

/**
 * The current workspace, in full (long names wrap), as a menu button: choosing another workspace switches at
 * once, one action. Arrow keys only move through the menu; nothing switches until Enter, Space or a click on
 * an item (a native select fired change events while arrowing, which is why it once needed a Switch button).
 * The switch goes through the server action, which checks membership; it names its target, so it is exempt
 * from the stale-page check.
 */
export function WorkspaceSwitcher({ current, workspaces }: { current: string; workspaces: WorkspaceChoice[] }) {
  const [state, dispatch, pending] = useWorkspaceActionState(switchWorkspaceAction);
  const labelId = useId();
  const buttonId = useId();
  const currentName = workspaces.find((w) => w.id === current)?.name ?? 'Choose a workspace';
  const switchTo = (workspaceId: string) => {
    if (workspaceId === current) return;
    const form = new FormData();
    form.set('workspaceId', workspaceId);
    startTransition(() => dispatch(form));
  };
  return (
    <div className="workspace-switcher">
      <span id={labelId} className="muted">
        Workspace
      </span>
      <DropdownMenu>
        <DropdownMenuTrigger asChild disabled={pending}>
          <button id={buttonId} type="button" className="workspace-button menu-trigger" aria-labelledby={`${labelId} ${buttonId}`}>
            <span className="workspace-name">{pending ? 'Switching…' : currentName}</span>
            <ChevronsUpDown size={16} aria-hidden="true" />
          </button>
        </DropdownMenuTrigger>
        <DropdownMenuContent label="Workspaces">
          {workspaces.map((w) => (
            <DropdownMenuItem key={w.id} current={w.id === current} onSelect={() => switchTo(w.id)}>
              <span className="workspace-name">{w.name}</span>
              {w.id === current ? <Check size={14} aria-hidden="true" className="menu-item-indicator" /> : null}
            </DropdownMenuItem>
          ))}
        </DropdownMenuContent>
      </DropdownMenu>
      {state && !state.ok ? (
        <p role="alert" className="field-error">
          {state.message}
        </p>
      ) : null}
    </div>
  );
}
