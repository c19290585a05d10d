import { z } from 'zod';
import type { WorkspaceScope } from '@/lib/auth/actor';
import type { BackfillPreview, BackfillView, UnmatchedRow } from '@/lib/backfills/types';
import { getPrisma } from '@/lib/db/prisma';
import { notFound } from '@/lib/errors';
import { findStore } from '@/lib/event-store/get-store';
import type { Backfill } from '@/lib/generated/prisma/client';

/** Backfills listed per store, newest first. */
export const MAX_LISTED_BACKFILLS = 100;
/** Unmatched rows shown with a preview; the download has them all. */
export const UNMATCHED_SAMPLE_SIZE = 20;

/** The backfills of a store of the workspace, newest first (at most 100). */
export async function listBackfills(scope: WorkspaceScope, storeId: string): Promise<BackfillView[]> {
  const store = await findStore(scope.workspaceId, storeId);
  const [rows, writerMeters] = await Promise.all([
    getPrisma().backfill.findMany({
      where: { storeId: store.id, workspaceId: scope.workspaceId },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: MAX_LISTED_BACKFILLS,
    }),
    writerMetersOf(scope.workspaceId, store.id),
  ]);
  return rows.map((row) => toView(row, store, writerMeters));
}

/** One backfill of the workspace; 404 for another workspace's (or a malformed) id. */
export async function getBackfill(scope: WorkspaceScope, backfillId: string): Promise<BackfillView> {
  const row = await findBackfill(scope, backfillId);
  return toView(row, row.store, await writerMetersOf(scope.workspaceId, row.storeId));
}

/** One backfill with the first unmatched rows of its file. */
export async function getBackfillPreview(scope: WorkspaceScope, backfillId: string): Promise<BackfillPreview> {
  const view = await getBackfill(scope, backfillId);
  const unmatched = await getPrisma().backfillRow.findMany({
    where: { backfillId: view.id, matched: false },
    orderBy: { line: 'asc' },
    take: UNMATCHED_SAMPLE_SIZE,
  });
  return { ...view, unmatchedSample: unmatched.map(toUnmatchedRow) };
}

/** The backfill row with its store's id and name, or 404. */
export async function findBackfill(scope: WorkspaceScope, backfillId: string) {
  if (!z.uuid().safeParse(backfillId).success) throw notFound('That backfill');
  const row = await getPrisma().backfill.findFirst({
    where: { id: backfillId, workspaceId: scope.workspaceId },
    include: { store: { select: { id: true, name: true } } },
  });
  if (!row) throw notFound('That backfill');
  return row;
}

/** Why a row did not match, in the words of UnmatchedRow. */
export function toUnmatchedRow(row: { line: number; eventId: string; eventTime: Date; storedEventTime: Date | null }): UnmatchedRow {
  return row.storedEventTime
    ? { line: row.line, eventId: row.eventId, eventTime: row.eventTime.toISOString(), reason: 'the stored event has another event time', storedEventTime: row.storedEventTime.toISOString() }
    : { line: row.line, eventId: row.eventId, eventTime: row.eventTime.toISOString(), reason: 'no event with this id' };
}

/** Meters whose latest saved version writes the store: the ones to replay after a delete. */
async function writerMetersOf(workspaceId: string, storeId: string): Promise<{ id: string; name: string }[]> {
  const rows = await getPrisma().meterStore.findMany({
    where: { storeId, role: 'target', meter: { workspaceId } },
    select: { meter: { select: { id: true, name: true } } },
    orderBy: { meter: { name: 'asc' } },
  });
  return rows.map((r) => r.meter);
}

function toView(row: Backfill, store: { id: string; name: string }, writerMeters: { id: string; name: string }[]): BackfillView {
  const iso = (at: Date | null) => at?.toISOString() ?? null;
  return {
    id: row.id,
    store: { id: store.id, name: store.name },
    status: row.status,
    fileName: row.fileName,
    sha256: row.sha256,
    requested: row.requested,
    matched: row.matched,
    notFound: row.requested - row.matched,
    deleted: row.deleted,
    frame: row.frameFrom && row.frameTo ? { from: row.frameFrom.toISOString(), to: row.frameTo.toISOString() } : null,
    undo: row.status === 'undone' ? { restored: row.restored ?? 0, skipped: row.skipped ?? 0, skippedIds: row.skippedIds } : null,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    confirmedBy: row.confirmedBy,
    confirmedAt: iso(row.confirmedAt),
    undoneBy: row.undoneBy,
    undoneAt: iso(row.undoneAt),
    writerMeters,
  };
}
