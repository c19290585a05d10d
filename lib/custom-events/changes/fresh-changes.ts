import type { StoredChange } from '@/lib/custom-events/changes/process-changes';

/**
 * Changes this process has just stored and announced on the changes stream, kept for the change workers of
 * the same process (the server that `npm start` runs has both): a worker that claims one of them takes its
 * values from here instead of reading them back from object_changes, which cost PostgreSQL more than a third
 * of the claim (the jsonb of current and previous written out as text, then parsed again by Node).
 *
 * What is kept is what was stored: the route's checked change, whose values are JSON values (readObjectChange
 * turns -0 into 0, as JSON.stringify does on its way to PostgreSQL), and its time to the millisecond, as
 * changed_at keeps it. Only changes of committed transactions are kept; the claim in PostgreSQL still
 * decides who evaluates a change (claimPendingChanges), this only saves reading it. A change not found here
 * (stored by another process, by change capture, swept, or past the cap) is read back as before.
 *
 * Kept only while change workers run in this process (startChangeWorkers), at most MAX_FRESH_CHANGES (about
 * 1 KB each) and at most FRESH_FOR_MS: a change that another process's worker claimed (several processes share
 * the partitions) is never taken here, and is dropped when it is that old. State lives on globalThis: Next.js
 * may load this module once for the route and once for instrumentation's workers.
 */
export const MAX_FRESH_CHANGES = 50_000;
export const FRESH_FOR_MS = 60_000;

interface FreshChanges {
  takers: number;
  /** In the order kept, so the oldest come first. */
  changes: Map<string, { change: StoredChange; keptAt: number }>;
}

const state = ((globalThis as unknown as { freshChanges?: FreshChanges }).freshChanges ??= { takers: 0, changes: new Map() });

/** Keeps changes just committed (each with its object_changes id) for this process's workers; none when no worker runs here, and none past the cap. */
export function keepFreshChanges(changes: readonly StoredChange[]): void {
  if (state.takers === 0) return;
  const now = Date.now();
  for (const [id, kept] of state.changes) {
    if (kept.keptAt >= now - FRESH_FOR_MS) break;
    state.changes.delete(id);
  }
  for (const change of changes) {
    if (state.changes.size >= MAX_FRESH_CHANGES) return;
    state.changes.set(change.id, { change, keptAt: now });
  }
}

/** The kept change with this id, removed (a change is claimed once); undefined when none is kept. */
export function takeFreshChange(id: string): StoredChange | undefined {
  const kept = state.changes.get(id);
  if (kept === undefined) return undefined;
  state.changes.delete(id);
  return kept.change;
}

/** A worker of this process starts taking kept changes; the returned function ends that (the last one forgets them all). */
export function takeFreshChanges(): () => void {
  state.takers += 1;
  let ended = false;
  return () => {
    if (ended) return;
    ended = true;
    state.takers -= 1;
    if (state.takers === 0) state.changes.clear();
  };
}

/** How many changes are kept (none: the claim reads every change back in one statement). */
export function freshChangesKept(): number {
  return state.changes.size;
}
