'use client';

import { useWorkspaceActionState } from '@/components/ui/use-workspace-action-state';
import { switchWorkspaceAction } from '@/app/(console)/actions';
import type { WorkspaceChoice } from '@/lib/workspaces/workspace-context';

export function WorkspaceSwitcher({ current, workspaces }: { current: string; workspaces: WorkspaceChoice[] }) {
  const [state, action, pending] = useWorkspaceActionState(switchWorkspaceAction);
  return (
    <form action={action} className="workspace-switcher">
      <label htmlFor="workspace-select" className="muted">
        Workspace
      </label>
      {/* Switching takes a button press, not a change of the select: arrowing through a closed select
          fires change events, and a keyboard user would be moved to another workspace on the first one. */}
      <div className="switch-row">
        <select id="workspace-select" name="workspaceId" defaultValue={current} disabled={pending}>
          {workspaces.map((w) => (
            <option key={w.id} value={w.id}>
              {w.name}
            </option>
          ))}
        </select>
        <button type="submit" className="button small" disabled={pending}>
          {pending ? 'Switching…' : 'Switch'}
        </button>
      </div>
      {state && !state.ok ? (
        <p role="alert" className="field-error">
          {state.message}
        </p>
      ) : null}
    </form>
  );
}
