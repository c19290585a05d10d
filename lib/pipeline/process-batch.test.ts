import { afterAll, describe, expect, it } from 'vitest';
import { closePool } from '@/lib/db/pool';
import type { FlowRecord } from '@/lib/meters/flow-schema';
import { compilePipeline } from '@/lib/pipeline/compile-pipeline';
import { makeReplayWorld, usageEvent } from '@/lib/pipeline/pipeline-fixtures';
import { processBatch, processBatchInSlices } from '@/lib/pipeline/process-batch';
import { RunTally } from '@/lib/pipeline/run-tally';

afterAll(() => closePool());

describe('processBatchInSlices', () => {
  it('gives what processBatch gives for the whole batch (records, errors, counts), and lets the event loop run between slices', async () => {
    const world = await makeReplayWorld();
    // 1,000 usage records; every 7th has an impossible time, which the target's mapping refuses (after the filter).
    const records: FlowRecord[] = Array.from({ length: 1_000 }, (_, i) => {
      const payload = { ...usageEvent(i).payload };
      if (i % 7 === 0) payload.at = '2026-02-30T00:00:00.000Z';
      return payload;
    });
    const run = () => {
      const pipeline = compilePipeline(world.graph, world.context);
      return { pipeline, tally: new RunTally(pipeline) };
    };
    const whole = run();
    const expected = processBatch(whole.pipeline, new Map([['source', records]]), whole.tally);
    expect(expected.errors.length).toBeGreaterThan(0);

    const sliced = run();
    let ticked = false;
    setImmediate(() => (ticked = true));
    const pending = processBatchInSlices(sliced.pipeline, new Map([['source', records]]), sliced.tally, 64);
    expect(ticked).toBe(false);
    const result = await pending;
    expect(ticked).toBe(true);

    expect(result.toWrite).toEqual(expected.toWrite);
    expect(result.errors).toEqual(expected.errors);
    expect(sliced.tally.snapshot()).toEqual(whole.tally.snapshot());
  });
});
