/**
 * What an API key may be used for. Each REST route names the one scope it needs, and only scopes some route
 * needs are offered: a key must not promise access to an API that does not exist yet. Add a scope here in the
 * change that adds its first route ; scopes.test.ts checks both ways.
 */
export const API_SCOPES = {
  'stores:read': 'List and read event stores, their events and event definitions',
  'stores:write': 'Create event stores',
  'events:write': 'Send events to event stores',
  'events:delete': 'Delete events from event stores by backfill, and undo backfills',
  'usage:read': 'Export usage records',
  'runs:read': 'List and read meter runs, their progress and record errors',
  'runs:write': 'Start and cancel meter runs',
  'meters:ingest': 'Send records to meters with an HTTP ingest source',
  'object-changes:write': 'Send object changes (billing records created, changed or deleted) for triggers',
  'triggers:read': 'List and read triggers',
  'triggers:write': 'Create, change, activate, deactivate and delete triggers',
  'notifications:write': 'Replay business events to notification endpoints from a point in time',
} as const;

export type ApiScope = keyof typeof API_SCOPES;
export const API_SCOPE_NAMES = Object.keys(API_SCOPES) as ApiScope[];

/** Whether a scope stored on a key is one the API knows (older keys may hold scopes no route uses). */
export function isKnownScope(scope: string): scope is ApiScope {
  return Object.hasOwn(API_SCOPES, scope);
}
