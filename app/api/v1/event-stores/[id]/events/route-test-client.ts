import { GET, POST } from '@/app/api/v1/event-stores/[id]/events/route';
import { getPool } from '@/lib/db/pool';
import { getPrisma } from '@/lib/db/prisma';
import type { DefinitionField } from '@/lib/event-definitions/list-definitions';
import { makeApiKey, makeStore, makeTenant, unique } from '@/lib/testing/factories';

/**
 * Calls the events route handlers as Next.js would, with a real API key of a fresh tenant (test helper,
 * shared by the route's test files).
 */
export async function makeRouteClient(fields: DefinitionField[]) {
  const tenant = await makeTenant();
  const key = (await makeApiKey(tenant.workspace, tenant.owner, ['events:write', 'stores:read'])).key;
  const definition = await getPrisma().eventDefinition.create({
    data: { workspaceId: tenant.workspace.id, name: unique('usage'), eventIdField: 'id', eventTimeField: 'at', fields: fields as object[] },
  });
  const context = (id: string) => ({ params: Promise.resolve({ id }) });
  return {
    tenant,
    newStore: () => makeStore(tenant.workspace.id, definition.id),
    post: (storeId: string, body: string | ReadableStream<Uint8Array>, contentType: string, extra: Record<string, string> = {}, query = '') =>
      POST(
        new Request(`http://localhost/api/v1/event-stores/${storeId}/events${query}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': contentType, ...extra },
          body,
          ...(typeof body === 'string' ? {} : { duplex: 'half' }),
        } as RequestInit),
        context(storeId),
      ),
    get: (storeId: string, query = '') =>
      GET(new Request(`http://localhost/api/v1/event-stores/${storeId}/events${query}`, { headers: { authorization: `Bearer ${key}` } }), context(storeId)),
    count: async (storeId: string) => Number((await getPool().query('SELECT count(*) FROM events WHERE store_id = $1', [storeId])).rows[0].count),
  };
}

/** The fields of the test definition: one of each type; `id` and `at` are the event-id and event-time fields. */
export const EVERY_TYPE: DefinitionField[] = [
  { name: 'id', type: 'string', required: true, description: '' },
  { name: 'at', type: 'datetime', required: true, description: '' },
  { name: 'units', type: 'integer', required: true, description: '' },
  { name: 'cost', type: 'number', required: false, description: '' },
  { name: 'billable', type: 'boolean', required: false, description: '' },
  { name: 'note', type: 'string', required: false, description: '' },
  { name: 'meta', type: 'json', required: false, description: '' },
];
