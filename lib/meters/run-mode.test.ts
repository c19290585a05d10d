import { describe, expect, it } from 'vitest';
import type { MeterGraph } from '@/lib/meters/graph';
import { runModeOf } from '@/lib/meters/run-mode';

const graphOf = (...kinds: MeterGraph['nodes'][number]['kind'][]): Pick<MeterGraph, 'nodes'> => ({
  nodes: kinds.map((kind, i) => ({ id: `n${i}`, kind, label: '', position: { x: 0, y: 0 }, config: {} })),
});

describe('runModeOf', () => {
  it('follows the first source', () => {
    expect(runModeOf(graphOf('processor.filter', 'source.eventStore', 'target.eventStore'))).toBe('eventStore');
    expect(runModeOf(graphOf('source.fileUpload', 'target.usageRecords'))).toBe('file');
    expect(runModeOf(graphOf('source.httpIngest', 'source.eventStore'))).toBe('live');
    // Business events take a data scope (all time or a frame of change time), as Event Stores do.
    expect(runModeOf(graphOf('source.businessEvents', 'target.eventStore'))).toBe('eventStore');
  });

  it('has no mode without a source or a saved graph', () => {
    expect(runModeOf(graphOf('processor.map'))).toBeNull();
    expect(runModeOf(null)).toBeNull();
  });
});
