/** What an API key may be used for. Each REST route names the one scope it needs. */
export const API_SCOPES = {
  'stores:read': 'List and read event stores and definitions',
  'stores:write': 'Create and change event stores',
  'events:write': 'Send events to event stores',
  'object-changes:write': 'Send object changes for trigger conditions',
  'triggers:read': 'List and read triggers',
  'triggers:write': 'Create and change triggers',
  'runs:read': 'List and read runs',
  'runs:write': 'Start runs',
} as const;

export type ApiScope = keyof typeof API_SCOPES;
export const API_SCOPE_NAMES = Object.keys(API_SCOPES) as ApiScope[];
