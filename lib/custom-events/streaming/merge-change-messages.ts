import type { StreamMessage } from '@/lib/custom-events/streaming/outbox';

/** Most change ids in one message once the relay has merged the messages waiting for a partition. */
export const MAX_IDS_PER_MERGED_MESSAGE = 5_000;

/** A row of the stream outbox as the relay reads it: its id (bigint, as text) and the message. */
export interface OutboxRow extends StreamMessage {
  id: string;
}

interface ChangeMessageBody {
  workspaceId: string;
  ids: string[];
  batches?: string[];
}

const isChangesSubject = (subject: string) => /^[A-Za-z0-9_-]+\.changes\.\d+$/.test(subject);

/**
 * The messages to publish for outbox rows read in outbox order, with the change messages waiting for one
 * partition merged: rows of one subject (a partition of the changes stream) and one workspace become one
 * message holding their ids in outbox order, up to MAX_IDS_PER_MERGED_MESSAGE, and the groups that hold them
 * (`batches`, when the rows name some). A partition's consumer hands
 * out one message at a time (max_ack_pending 1), so while the relay is behind (requests arriving faster than
 * it publishes, a message per partition each), merging gives the change workers fewer and larger batches of
 * the same changes in the same order: each record is in one partition, its changes in one workspace, so their
 * order is kept. Other rows (business events, and anything not a change message) go out as they are, as does
 * a change message alone in its group. A merged message's id is its first row's with the count of rows: should
 * the relay publish the same rows again (a crash before it deleted them), it most likely forms the same groups,
 * which JetStream deduplicates; a different grouping is harmless, as a change is claimed once.
 */
export function mergeChangeMessages(rows: readonly OutboxRow[]): StreamMessage[] {
  type Group = { first: OutboxRow; workspaceId: string; ids: string[]; batches: string[]; rows: number };
  const out: (Group | OutboxRow)[] = [];
  const open = new Map<string, Group>();
  // Only a subject with more than one row can merge: the others are not parsed.
  const rowsOfSubject = new Map<string, number>();
  for (const row of rows) rowsOfSubject.set(row.subject, (rowsOfSubject.get(row.subject) ?? 0) + 1);
  for (const row of rows) {
    const body = rowsOfSubject.get(row.subject)! > 1 && isChangesSubject(row.subject) ? changeMessageBody(row.body) : null;
    if (!body) {
      out.push(row);
      continue;
    }
    const key = `${row.subject}\u0000${body.workspaceId}`;
    const group = open.get(key);
    if (group && group.ids.length + body.ids.length <= MAX_IDS_PER_MERGED_MESSAGE) {
      group.ids.push(...body.ids);
      group.batches.push(...(body.batches ?? []));
      group.rows += 1;
      continue;
    }
    const fresh: Group = { first: row, workspaceId: body.workspaceId, ids: [...body.ids], batches: [...(body.batches ?? [])], rows: 1 };
    open.set(key, fresh);
    out.push(fresh);
  }
  return out.map((entry) => {
    if (!('first' in entry)) return { subject: entry.subject, msgId: entry.msgId, body: entry.body };
    const { first } = entry;
    if (entry.rows === 1) return { subject: first.subject, msgId: first.msgId, body: first.body };
    const merged: ChangeMessageBody = entry.batches.length > 0 ? { workspaceId: entry.workspaceId, ids: entry.ids, batches: entry.batches } : { workspaceId: entry.workspaceId, ids: entry.ids };
    return { subject: first.subject, msgId: `${first.msgId}+${entry.rows}`, body: JSON.stringify(merged) };
  });
}

/** A change message's body, or null when the text is not one (it then goes out as it is, for the workers to drop). */
function changeMessageBody(text: string): ChangeMessageBody | null {
  try {
    const body = JSON.parse(text) as Partial<ChangeMessageBody>;
    const strings = (list: unknown): list is string[] => Array.isArray(list) && list.every((id) => typeof id === 'string');
    if (typeof body?.workspaceId !== 'string' || !strings(body.ids) || (body.batches !== undefined && !strings(body.batches))) return null;
    return { workspaceId: body.workspaceId, ids: body.ids, batches: body.batches };
  } catch {
    return null;
  }
}
