import type { FlowRecord } from '@/lib/meters/flow-schema';

/** One group's window: [start, end) in epoch ms, the group-by values, and the measures' running state. */
export interface WindowBucket<S> {
  start: number;
  end: number;
  group: FlowRecord;
  state: S;
}

/** Emitted windows kept for records that arrive late (their window already emitted). */
export const MAX_RETAINED_WINDOWS = 10_000;

/**
 * The window state of a streaming Aggregate. Input arrives in event-time order, so once a record's time
 * reaches a window's end that window can take nothing more: at the end of each push, every open window whose
 * end ≤ the newest time seen is closed and emitted. Memory is the open windows × groups, plus a bounded
 * number of emitted ones.
 *
 * Records out of order (their window was already emitted): the emitted windows are kept (the last
 * MAX_RETAINED_WINDOWS of them); a late record updates its window, which is emitted again, whole, at the end
 * of the push — with the same group and window, so a target keyed on them (an upsert) ends with the right
 * totals instead of a partial count replacing the full one. A record whose window may have been emitted and
 * already let go is rejected, with that reason (never silently dropped, never counted as a second window).
 */
export function windowBuckets<S>(create: () => S, retain = MAX_RETAINED_WINDOWS) {
  const open = new Map<string, WindowBucket<S>>();
  const retained = new Map<string, WindowBucket<S>>();
  let touched = new Set<WindowBucket<S>>();
  let newest = -Infinity;
  /** Windows ending at or before this may have been emitted and let go. */
  let forgottenThrough = -Infinity;
  const byStart = (a: WindowBucket<S>, b: WindowBucket<S>) => a.start - b.start;

  return {
    /** The bucket a record at `time` adds to, or why it cannot be counted. */
    bucketFor(window: [number, number], groupKey: string, group: () => FlowRecord, time: number): WindowBucket<S> | { late: true } {
      if (time > newest) newest = time;
      const key = `${window[0]}|${groupKey}`;
      const bucket = open.get(key);
      if (bucket) return bucket;
      const emitted = retained.get(key);
      if (emitted) {
        touched.add(emitted);
        return emitted;
      }
      if (window[1] <= forgottenThrough) return { late: true };
      const fresh = { start: window[0], end: window[1], group: group(), state: create() };
      open.set(key, fresh);
      return fresh;
    },
    /** Windows closed by the newest time (and emitted windows a late record changed), in window order. */
    takeClosed(): WindowBucket<S>[] {
      const out = [...touched];
      touched = new Set();
      for (const [key, bucket] of open) {
        if (bucket.end > newest) continue;
        open.delete(key);
        out.push(bucket);
        retained.delete(key);
        retained.set(key, bucket);
      }
      for (const [key, bucket] of retained) {
        if (retained.size <= retain) break;
        retained.delete(key);
        if (bucket.end > forgottenThrough) forgottenThrough = bucket.end;
      }
      return out.sort(byStart);
    },
    /** Every open window (the end of the input), in window order; the state is cleared. */
    takeAll(): WindowBucket<S>[] {
      const out = [...touched, ...open.values()].sort(byStart);
      open.clear();
      retained.clear();
      touched = new Set();
      return out;
    },
    get openCount() {
      return open.size;
    },
    get retainedCount() {
      return retained.size;
    },
  };
}
