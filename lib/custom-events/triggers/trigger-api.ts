import { z, ZodError } from 'zod';
import { getTrigger, toTriggerItem, type TriggerItem } from '@/lib/custom-events/triggers/list-triggers';
import type { TriggerInputRaw } from '@/lib/custom-events/triggers/trigger-schema';
import { getPrisma } from '@/lib/db/prisma';
import { AppError, isAppError, notFound } from '@/lib/errors';

// The Triggers REST API's shapes (app/api/v1/triggers): the same commands as the console's form, in JSON.

/** A trigger as the API shows it: dates as ISO text. */
export type ApiTrigger = Omit<TriggerItem, 'createdAt' | 'updatedAt'> & { createdAt: string; updatedAt: string };

export const toApiTrigger = (item: TriggerItem): ApiTrigger => ({ ...item, createdAt: item.createdAt.toISOString(), updatedAt: item.updatedAt.toISOString() });

/** The trigger as the API shows it, or 404 (another workspace's, or a malformed id, alike). */
export async function apiTriggerOrNotFound(workspaceId: string, id: string): Promise<ApiTrigger> {
  const item = await getTrigger(workspaceId, id);
  if (!item) throw notFound('That trigger');
  return toApiTrigger(item);
}

export const MAX_TRIGGERS_PAGE = 200;
const DEFAULT_TRIGGERS_PAGE = 50;

const pageQuerySchema = z.object({
  limit: z.coerce
    .number({ error: 'A whole number from 1 to 200.' })
    .int('A whole number from 1 to 200.')
    .min(1, 'A whole number from 1 to 200.')
    .max(MAX_TRIGGERS_PAGE, 'A whole number from 1 to 200.')
    .default(DEFAULT_TRIGGERS_PAGE),
  after: z.string().optional(),
  baseObject: z.string().trim().min(1).optional(),
});

/**
 * The workspace's triggers in keyset pages on id (uuid v7: creation order), oldest first; `next` is the
 * `after` of the following page, or null on the last. Never OFFSET.
 */
export async function listTriggersPage(workspaceId: string, params: URLSearchParams): Promise<{ triggers: ApiTrigger[]; next: string | null }> {
  const query = pageQuerySchema.parse(Object.fromEntries(params));
  const after = query.after ? decodeCursor(query.after) : undefined;
  const rows = await getPrisma().trigger.findMany({
    where: { workspaceId, ...(after ? { id: { gt: after } } : {}), ...(query.baseObject ? { baseObject: { equals: query.baseObject, mode: 'insensitive' } } : {}) },
    orderBy: { id: 'asc' },
    take: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  return { triggers: page.map((row) => toApiTrigger(toTriggerItem(row))), next: rows.length > query.limit ? encodeCursor(page.at(-1)!.id) : null };
}

const encodeCursor = (id: string) => Buffer.from(id).toString('base64url');

function decodeCursor(cursor: string): string {
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!z.uuid().safeParse(id).success) {
    throw new AppError('INVALID_CURSOR', 'The “after” cursor is not one this API gave out; start from the first page.', { status: 400, fieldErrors: { after: ['Not a cursor from a previous page.'] } });
  }
  return id;
}

/** What PUT and PATCH take besides the trigger: the version the client read, to refuse overwriting a newer one. */
const versionSchema = z.object({ expectedVersion: z.number({ error: 'expectedVersion is the version you read, a whole number.' }).int().positive().optional() });

/** Splits a PUT/PATCH body into the trigger's fields and the optional expectedVersion. */
export function updateBody(body: unknown): { fields: Record<string, unknown>; expectedVersion?: number } {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new AppError('INVALID_INPUT', 'Send the trigger as a JSON object, e.g. {"condition": "…"}.', { status: 400 });
  }
  const { expectedVersion: raw, ...fields } = body as Record<string, unknown>;
  const { expectedVersion } = versionSchema.parse({ expectedVersion: raw });
  return { fields, expectedVersion };
}

/** PATCH: the trigger as saved, with the fields the body names replaced (the result is validated whole). */
export function patched(current: ApiTrigger, fields: Record<string, unknown>): TriggerInputRaw {
  const { id: _id, version: _version, createdAt: _c, updatedAt: _u, ...saved } = current;
  return { ...saved, ...fields } as TriggerInputRaw;
}

/**
 * A trigger the rules refuse is 422 (Unprocessable Content) in the API, with the same field errors and
 * messages as the console's form: each field named, a condition error with its characters. Malformed JSON
 * stays 400; other errors pass unchanged.
 */
export function unprocessable(error: unknown): unknown {
  if (error instanceof ZodError) {
    const fieldErrors: Record<string, string[]> = {};
    for (const issue of error.issues) (fieldErrors[issue.path.join('.') || '_body'] ??= []).push(issue.message);
    const first = Object.entries(fieldErrors)[0]!;
    return new AppError('INVALID_TRIGGER', `The trigger was not saved: ${first[0]}: ${first[1][0]}`, { status: 422, fieldErrors });
  }
  if (isAppError(error) && error.code === 'INVALID_CONDITION') {
    return new AppError(error.code, error.userMessage, { status: 422, fieldErrors: error.fieldErrors, details: error.details });
  }
  return error;
}
