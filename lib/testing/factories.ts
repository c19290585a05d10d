import { randomUUID } from 'node:crypto';
import { getAuth } from '@/lib/auth/auth';
import { createUser } from '@/lib/auth/create-user';
import type { Role } from '@/lib/auth/permissions';
import { createApiKey } from '@/lib/api-keys/manage-api-keys';
import type { ApiScope } from '@/lib/api-keys/scopes';
import type { WorkspaceScope } from '@/lib/auth/actor';
import { getPrisma } from '@/lib/db/prisma';

/** Test data with unique names, so tests never depend on each other or on the demo data. */
export const unique = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

export const TEST_PASSWORD = 'correct horse battery staple';

export async function makeWorkspace(name = unique('ws')) {
  return getPrisma().workspace.create({ data: { slug: name.toLowerCase(), name } });
}

export async function makeUser(memberships: { workspaceId: string; role: Role }[], email = `${unique('user')}@example.com`) {
  const { id } = await createUser(getPrisma(), { email, name: email.split('@')[0]!, password: TEST_PASSWORD, memberships });
  return { id, email, password: TEST_PASSWORD };
}

export async function makeDefinition(workspaceId: string, name = unique('def')) {
  return getPrisma().eventDefinition.create({
    data: {
      workspaceId,
      name,
      eventIdField: 'id',
      eventTimeField: 'at',
      fields: [
        { name: 'id', type: 'string', required: true, description: '' },
        { name: 'at', type: 'datetime', required: true, description: '' },
      ],
    },
  });
}

export async function makeStore(workspaceId: string, definitionId: string, name = unique('store')) {
  return getPrisma().eventStore.create({ data: { workspaceId, definitionId, name } });
}

/** A workspace with one definition, one store, and a user of each role. */
export async function makeTenant() {
  const workspace = await makeWorkspace();
  const definition = await makeDefinition(workspace.id);
  const store = await makeStore(workspace.id, definition.id);
  const [owner, editor, viewer] = await Promise.all(
    (['owner', 'editor', 'viewer'] as const).map((role) => makeUser([{ workspaceId: workspace.id, role }])),
  );
  return { workspace, definition, store, owner: owner!, editor: editor!, viewer: viewer! };
}

export function scopeOf(workspace: { id: string; name: string }, user: { id: string; email: string }, role: Role = 'owner'): WorkspaceScope {
  return { workspaceId: workspace.id, workspaceName: workspace.name, role, actor: { type: 'user', id: user.id, label: user.email } };
}

export async function makeApiKey(workspace: { id: string; name: string }, owner: { id: string; email: string }, scopes: ApiScope[]) {
  return createApiKey(getPrisma(), scopeOf(workspace, owner), { name: unique('key'), scopes });
}

/** Signs in through Better Auth and returns the Cookie header a browser would send. */
export async function sessionCookie(email: string, password = TEST_PASSWORD): Promise<string> {
  const response = await getAuth().api.signInEmail({ body: { email, password }, asResponse: true });
  if (!response.ok) throw new Error(`sign-in failed for ${email}: ${response.status}`);
  return response.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
}
