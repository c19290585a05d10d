import type { Role } from '@/lib/generated/prisma/enums';

export type { Role };
export const ROLES = ['owner', 'editor', 'viewer'] as const satisfies readonly Role[];

/** What a role may do in its workspace. Every action and route names the one permission it needs. */
export const PERMISSIONS = {
  'workspace.read': ['owner', 'editor', 'viewer'],
  'store.write': ['owner', 'editor'],
  'definition.write': ['owner', 'editor'],
  'events.write': ['owner', 'editor'],
  'events.delete': ['owner', 'editor'],
  'meter.write': ['owner', 'editor'],
  'meter.run': ['owner', 'editor'],
  'trigger.write': ['owner', 'editor'],
  'changes.write': ['owner', 'editor'],
  'notification.write': ['owner', 'editor'],
  'connector.write': ['owner', 'editor'],
  'apiKey.manage': ['owner'],
  'audit.read': ['owner'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function roleCan(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

/** Words for refusals: "only editors and owners can create event stores". */
export function rolesAllowed(permission: Permission): string {
  const plural = PERMISSIONS[permission].map((r) => `${r}s`);
  return plural.length === 1 ? plural[0]! : `${plural.slice(0, -1).join(', ')} and ${plural.at(-1)}`;
}

/** What each permission lets someone do, for refusal messages. */
export const PERMISSION_LABELS: Record<Permission, string> = {
  'workspace.read': 'read this workspace',
  'store.write': 'create or change event stores',
  'definition.write': 'create or change event definitions',
  'events.write': 'send or delete events',
  'events.delete': 'delete events by backfill or undo a backfill',
  'meter.write': 'save meters',
  'meter.run': 'run meters',
  'trigger.write': 'create or change triggers',
  'changes.write': 'send object changes',
  'notification.write': 'add or change notification endpoints, resend deliveries and replay business events',
  'connector.write': 'create, start, stop or delete change-capture connectors',
  'apiKey.manage': 'create or revoke API keys',
  'audit.read': 'read the audit log',
};

/** Why `role` may not do `permission` in a workspace, in words; null when it may. */
export function refusalMessage(role: Role, workspaceName: string, permission: Permission): string | null {
  if (roleCan(role, permission)) return null;
  const article = /^[aeiou]/.test(role) ? 'an' : 'a';
  return `You are ${article} ${role} in ${workspaceName}: only ${rolesAllowed(permission)} can ${PERMISSION_LABELS[permission]}.`;
}
