import { describe, expect, it } from 'vitest';
import type { MeterGraph, MeterNode } from '@/lib/meters/graph';
import { emptyProgress } from '@/lib/runs/types';
import { edgeLabel, edgeViews } from './canvas-view';
import { isLive, runCounts } from './run-counts';

const node = (id: string, kind: MeterNode['kind'], label = ''): MeterNode => ({ id, kind, label, position: { x: 0, y: 0 }, config: {} });
const graph: MeterGraph = {
  nodes: [node('src', 'source.eventStore'), node('flt', 'processor.filter', 'Paid'), node('dst', 'target.eventStore')],
  edges: [
    { id: 'e1', source: 'src', sourcePort: 'out', target: 'flt', targetPort: 'in' },
    { id: 'e2', source: 'flt', sourcePort: 'out', target: 'dst', targetPort: 'in' },
  ],
};
const nodeName = (n: MeterNode) => n.label || n.kind;

describe('a run’s counts on the canvas', () => {
  const progress = {
    ...emptyProgress(),
    read: 60_000,
    nodes: {
      src: { in: 60_000, out: 60_000, dropped: 0, rejected: 0 },
      flt: { in: 60_000, out: 18_250, dropped: 41_700, rejected: 50 },
      dst: { in: 18_250, out: 18_250, dropped: 0, rejected: 0 },
    },
    edges: { e1: 60_000, e2: 18_250 },
  };

  it('maps RunProgress onto the counts the preview gives: per node as they are, per edge as { count }', () => {
    const counts = runCounts(progress);
    expect(counts.edges).toEqual({ e1: { count: 60_000 }, e2: { count: 18_250 } });
    expect(counts.nodes.flt).toEqual({ in: 60_000, out: 18_250, dropped: 41_700, rejected: 50 });
  });

  it('labels the edges the way the preview does: a source’s edge with its count, a processor’s with in → out and what it dropped', () => {
    const counts = runCounts(progress);
    expect(edgeLabel('e1', graph.nodes[0]!, counts, nodeName)).toBe('60,000');
    expect(edgeLabel('e2', graph.nodes[1]!, counts, nodeName)).toBe('60,000 → 18,250, dropped 41,750 by Paid');
  });

  it('leaves an edge the run has not reached (or a version without it) unlabelled', () => {
    const early = runCounts({ ...emptyProgress(), nodes: { src: progress.nodes.src }, edges: { e1: 60_000 } });
    const views = edgeViews(graph, { problems: [], schemas: {} }, early, nodeName);
    expect(views.get('e1')?.label).toBe('60,000');
    expect(views.get('e2')?.label).toBe('');
  });

  it('polls only while the run is queued or running', () => {
    expect(['queued', 'running', 'completed', 'failed', 'cancelled'].filter((s) => isLive(s as never))).toEqual(['queued', 'running']);
  });
});
