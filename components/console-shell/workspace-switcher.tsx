'use client';

import { useActionState } from 'react';
import { switchWorkspaceAction } from '@/app/(console)/actions';
import type { WorkspaceChoice } from '@/lib/workspaces/workspace-context';

export function WorkspaceSwitcher({ current, workspaces }: { current: string; workspaces: WorkspaceChoice[] }) {
  const [state, action, pending] = useActionState(switchWorkspaceAction, null);
  return (
    <form action={action} className="workspace-switcher">
      <label htmlFor="workspace-select" className="muted">
        Workspace
      </label>
      <select
        id="workspace-select"
        name="workspaceId"
        defaultValue={current}
        disabled={pending}
        onChange={(e) => e.currentTarget.form?.requestSubmit()}
      >
        {workspaces.map((w) => (
          <option key={w.id} value={w.id}>
            {w.name}
          </option>
        ))}
      </select>
      <noscript>
        <button type="submit">Switch</button>
      </noscript>
      {state && !state.ok ? (
        <p role="alert" className="field-error">
          {state.message}
        </p>
      ) : null}
    </form>
  );
}
