import type { Role } from '@/lib/auth/permissions';

/** Who is acting: a signed-in user or an API key. Recorded in the audit log. */
export interface Actor {
  type: 'user' | 'api_key';
  id: string;
  /** Email or key name at the time of the action. */
  label: string;
}

/** What every domain command receives: the workspace it acts in and who is acting. */
export interface WorkspaceScope {
  workspaceId: string;
  workspaceName: string;
  /** The user's role; API keys act with the scopes they were given instead (role is null). */
  role: Role | null;
  actor: Actor;
}
