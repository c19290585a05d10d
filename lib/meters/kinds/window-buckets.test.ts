import { describe, expect, it } from 'vitest';
import { windowBuckets } from '@/lib/meters/kinds/window-buckets';

const HOUR = 3_600_000;
const hourOf = (t: number): [number, number] => [Math.floor(t / HOUR) * HOUR, Math.floor(t / HOUR) * HOUR + HOUR];

/** Feeds `hours` hours of records for `groups` groups, one push per hour, counting per window. */
function feed(buckets: ReturnType<typeof windowBuckets<{ n: number }>>, hours: number, groups: number) {
  let emitted = 0;
  let peakOpen = 0;
  let peakRetained = 0;
  for (let h = 0; h < hours; h++) {
    for (let g = 0; g < groups; g++) {
      const t = h * HOUR + g;
      const bucket = buckets.bucketFor(hourOf(t), `g${g}`, () => ({ g }), t);
      if (!('late' in bucket)) bucket.state.n++;
    }
    peakOpen = Math.max(peakOpen, buckets.openCount);
    emitted += buckets.takeClosed().length;
    peakRetained = Math.max(peakRetained, buckets.retainedCount);
  }
  return { emitted: emitted + buckets.takeAll().length, peakOpen, peakRetained };
}

describe('windowBuckets', () => {
  it('holds only the open windows × groups, and a bounded number of emitted ones, however long the input', () => {
    const buckets = windowBuckets(() => ({ n: 0 }), 50);
    const { emitted, peakOpen, peakRetained } = feed(buckets, 2_000, 20);
    expect(emitted).toBe(40_000);
    expect(peakOpen).toBeLessThanOrEqual(40);
    expect(peakRetained).toBe(50);
  });

  it('rejects a record whose window may have been emitted and let go, and never reopens it as a second window', () => {
    const buckets = windowBuckets(() => ({ n: 0 }), 2);
    for (let h = 0; h < 5; h++) {
      const bucket = buckets.bucketFor(hourOf(h * HOUR), 'g', () => ({}), h * HOUR);
      if (!('late' in bucket)) bucket.state.n++;
      buckets.takeClosed();
    }
    expect(buckets.retainedCount).toBe(2);
    // Hours 2 and 3 are kept (emitted, retained); hours 0 and 1 were let go.
    const kept = buckets.bucketFor(hourOf(3 * HOUR + 5), 'g', () => ({}), 3 * HOUR + 5);
    expect(kept).toMatchObject({ start: 3 * HOUR, state: { n: 1 } });
    expect(buckets.bucketFor(hourOf(HOUR + 5), 'g', () => ({}), HOUR + 5)).toEqual({ late: true });
    expect(buckets.bucketFor(hourOf(HOUR + 5), 'other', () => ({}), HOUR + 5)).toEqual({ late: true });
    expect(buckets.takeClosed().map((b) => b.start)).toEqual([3 * HOUR]);
  });
});
