import { describe, expect, it } from 'vitest';
import { MAX_IDS_PER_MERGED_MESSAGE, mergeChangeMessages, type OutboxRow } from '@/lib/custom-events/streaming/merge-change-messages';

let nextId = 1;
const change = (subject: string, workspaceId: string, ids: string[]): OutboxRow => ({ id: String(nextId++), subject, msgId: `api:${workspaceId}:${ids[0]}:${ids.at(-1)}:${ids.length}`, body: JSON.stringify({ workspaceId, ids }) });
const event = (subject: string): OutboxRow => ({ id: String(nextId++), subject, msgId: `be:${nextId}`, body: JSON.stringify({ workspaceId: 'w1', events: [{ id: 'e', eventType: 'T' }] }) });
const bodyOf = (m: { body: string }) => JSON.parse(m.body) as { workspaceId: string; ids: string[] };

describe('mergeChangeMessages', () => {
  it('merges the rows of one partition and workspace into one message, their ids in outbox order', () => {
    const rows = [change('um.changes.0', 'w1', ['1', '3']), change('um.changes.1', 'w1', ['2']), change('um.changes.0', 'w1', ['4', '6']), change('um.changes.1', 'w1', ['5'])];
    const messages = mergeChangeMessages(rows);
    expect(messages.map((m) => m.subject)).toEqual(['um.changes.0', 'um.changes.1']);
    expect(messages.map((m) => bodyOf(m))).toEqual([
      { workspaceId: 'w1', ids: ['1', '3', '4', '6'] },
      { workspaceId: 'w1', ids: ['2', '5'] },
    ]);
    expect(messages[0]!.msgId).toBe(`${rows[0]!.msgId}+2`);
  });

  it('keeps the groups the rows name (batches), in outbox order', () => {
    const grouped = (subject: string, ids: string[]): OutboxRow => ({ ...change(subject, 'w1', ids), body: JSON.stringify({ workspaceId: 'w1', ids, batches: [ids[0]] }) });
    const rows = [grouped('um.changes.0', ['1', '3']), change('um.changes.0', 'w1', ['4']), grouped('um.changes.0', ['6', '7']), change('um.changes.1', 'w1', ['8']), change('um.changes.1', 'w1', ['9'])];
    expect(mergeChangeMessages(rows).map((m) => JSON.parse(m.body))).toEqual([
      { workspaceId: 'w1', ids: ['1', '3', '4', '6', '7'], batches: ['1', '6'] },
      { workspaceId: 'w1', ids: ['8', '9'] },
    ]);
  });

  it('leaves a row alone in its partition as it is, and never merges two workspaces', () => {
    const rows = [change('um.changes.0', 'w1', ['1']), change('um.changes.0', 'w2', ['2']), change('um.changes.3', 'w1', ['3'])];
    expect(mergeChangeMessages(rows)).toEqual(rows.map(({ subject, msgId, body }) => ({ subject, msgId, body })));
  });

  it('passes business events and bodies that are not change messages through untouched, in order', () => {
    const rows = [event('um.business-events.w1'), event('um.business-events.w1'), { id: '90', subject: 'um.changes.0', msgId: 'x', body: '{"not":"a change message"}' }, { id: '91', subject: 'um.changes.0', msgId: 'y', body: 'not json' }];
    expect(mergeChangeMessages(rows)).toEqual(rows.map(({ subject, msgId, body }) => ({ subject, msgId, body })));
  });

  it(`starts a new message past ${MAX_IDS_PER_MERGED_MESSAGE.toLocaleString('en')} ids`, () => {
    const ids = (from: number, count: number) => Array.from({ length: count }, (_, i) => String(from + i));
    const rows = [change('um.changes.0', 'w1', ids(1, 3_000)), change('um.changes.0', 'w1', ids(3_001, 1_500)), change('um.changes.0', 'w1', ids(4_501, 1_000))];
    const messages = mergeChangeMessages(rows).map((m) => bodyOf(m).ids);
    expect(messages.map((m) => m.length)).toEqual([4_500, 1_000]);
    expect(messages.flat()).toEqual(ids(1, 5_500));
  });
});
