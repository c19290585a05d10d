import { describe, expect, it } from 'vitest';
import type { MeterGraph } from '@/lib/meters/graph';
import { COLUMN_GAP, DEFAULT_NODE_SIZE, layoutPositions, placementFor } from './auto-layout';

const chain: MeterGraph = {
  nodes: [
    { id: 't', kind: 'target.webhook', label: '', position: { x: 0, y: 0 }, config: {} },
    { id: 'p', kind: 'processor.filter', label: '', position: { x: 0, y: 0 }, config: {} },
    { id: 's', kind: 'source.eventStore', label: '', position: { x: 0, y: 0 }, config: {} },
  ],
  edges: [
    { id: 'a', source: 's', sourcePort: 'out', target: 'p', targetPort: 'in' },
    { id: 'b', source: 'p', sourcePort: 'out', target: 't', targetPort: 'in' },
  ],
};

describe('auto-layout', () => {
  it('lays a chain out left to right, in flow order, without overlaps', () => {
    const at = layoutPositions(chain);
    const [s, p, t] = ['s', 'p', 't'].map((id) => at.get(id)!);
    expect(s!.x + DEFAULT_NODE_SIZE.width).toBeLessThanOrEqual(p!.x);
    expect(p!.x + DEFAULT_NODE_SIZE.width).toBeLessThanOrEqual(t!.x);
  });

  it('places a node added after another one column to its right, below whatever is already there', () => {
    const graph: MeterGraph = { nodes: [{ ...chain.nodes[2]!, position: { x: 0, y: 0 } }, { ...chain.nodes[1]!, position: { x: DEFAULT_NODE_SIZE.width + COLUMN_GAP, y: 0 } }], edges: [] };
    const at = placementFor(graph, 's', false);
    expect(at.x).toBe(DEFAULT_NODE_SIZE.width + COLUMN_GAP);
    expect(at.y).toBeGreaterThanOrEqual(DEFAULT_NODE_SIZE.height);
  });
});
