import { describe, expect, it } from 'vitest';
import { emptyProgress, type RunView } from '@/lib/runs/types';
import { describeEstimatedEvents, describeEstimatedTime, describeScope, formatDuration, runMetrics, writtenCount } from './run-format';

describe('run estimate words', () => {
  it('says an exact count as a number and a planner estimate as "about", labelled', () => {
    expect(describeEstimatedEvents({ events: 1234, kind: 'exact' })).toBe('1,234 events');
    expect(describeEstimatedEvents({ events: 1, kind: 'exact' })).toBe('1 event');
    expect(describeEstimatedEvents({ events: 1_234_567, kind: 'planner' })).toBe("about 1.2M events (PostgreSQL's estimate)");
    expect(describeEstimatedEvents({ events: 0, kind: 'unknown' })).toBeNull();
  });

  it('gives the time at the measured rate, or says no run was measured', () => {
    expect(describeEstimatedTime({ eventsPerSecond: 35_000, seconds: 40 })).toBe('about 40 s at the 35,000 events/s measured here');
    expect(describeEstimatedTime({ eventsPerSecond: null, seconds: null })).toBe('no run measured yet');
  });
});

describe('formatDuration', () => {
  it('uses at most two whole units', () => {
    expect(formatDuration(0.4)).toBe('under 1 s');
    expect(formatDuration(40)).toBe('40 s');
    expect(formatDuration(200)).toBe('3 min 20 s');
    expect(formatDuration(180)).toBe('3 min');
    expect(formatDuration(7500)).toBe('2 h 5 min');
  });
});

describe('describeScope', () => {
  it('shows a frame in the zone it was chosen in', () => {
    expect(describeScope({ kind: 'frame', from: '2026-10-31T23:00:00Z', to: '2026-11-07T23:00:00Z', timeZone: 'Europe/Berlin' })).toBe(
      '2026-11-01 00:00 to 2026-11-08 00:00 (Europe/Berlin)',
    );
    expect(describeScope({ kind: 'all' })).toBe('All time');
    expect(describeScope({ kind: 'file', fileName: 'usage.csv' })).toBe('File usage.csv');
  });
});

const run = (over: Partial<RunView>): Pick<RunView, 'status' | 'startedAt' | 'finishedAt' | 'estimate' | 'progress'> => ({
  status: 'running',
  startedAt: '2026-11-30T10:00:00Z',
  finishedAt: null,
  estimate: { events: 10_000, kind: 'exact', eventsPerSecond: null, seconds: null, earliest: null, latest: null },
  progress: { ...emptyProgress(), read: 2_000 },
  ...over,
});

describe('runMetrics', () => {
  it('measures throughput and the time left from what was read so far', () => {
    const m = runMetrics(run({}), new Date('2026-11-30T10:00:10Z'));
    expect(m).toEqual({ elapsed: 10, throughput: 200, eta: 40, fraction: 0.2 });
  });

  it('stops the clock at the end and gives no time left once final', () => {
    const m = runMetrics(run({ status: 'completed', finishedAt: '2026-11-30T10:00:04Z' }), new Date('2026-11-30T11:00:00Z'));
    expect(m.elapsed).toBe(4);
    expect(m.eta).toBeNull();
  });

  it('has nothing to say of a queued run or one without an estimate', () => {
    expect(runMetrics(run({ status: 'queued', startedAt: null, progress: emptyProgress() }), new Date())).toEqual({ elapsed: null, throughput: null, eta: null, fraction: 0 });
    expect(runMetrics(run({ estimate: null }), new Date('2026-11-30T10:00:10Z')).fraction).toBeNull();
  });
});

describe('writtenCount', () => {
  it('adds inserted, replaced and sent over the targets', () => {
    const progress = { ...emptyProgress(), targets: { a: { inserted: 3, replaced: 2, unchanged: 9, sent: 0 }, b: { inserted: 0, replaced: 0, unchanged: 0, sent: 4 } } };
    expect(writtenCount(progress)).toBe(9);
  });
});
