import { describe, expect, it } from 'vitest';
import { diffGraphs, isEmptyDiff } from '@/lib/meters/diff';
import type { MeterGraph, MeterNode } from '@/lib/meters/graph';

const node = (id: string, config: unknown, extra: Partial<MeterNode> = {}): MeterNode => ({
  id,
  kind: 'processor.filter',
  label: '',
  position: { x: 0, y: 0 },
  config,
  ...extra,
});
const edge = (source: string, target: string, id = `${source}-${target}`) => ({ id, source, sourcePort: 'out' as const, target, targetPort: 'in' as const });
const base: MeterGraph = {
  nodes: [node('a', { condition: 'x > 1' }), node('b', { keep: 'all', fields: [] }, { kind: 'processor.map' }), node('c', { storeId: 's' }, { kind: 'target.eventStore' })],
  edges: [edge('a', 'b'), edge('b', 'c')],
};

describe('diffGraphs', () => {
  it('finds nothing between a graph and itself, or one whose nodes only moved', () => {
    expect(isEmptyDiff(diffGraphs(base, base))).toBe(true);
    const moved = { ...base, nodes: base.nodes.map((n) => ({ ...n, position: { x: n.position.x + 50, y: 99 } })) };
    expect(isEmptyDiff(diffGraphs(base, moved))).toBe(true);
  });

  it('ignores key order in configs and edge ids for the same connection', () => {
    const reordered: MeterGraph = {
      nodes: [base.nodes[0]!, node('b', { fields: [], keep: 'all' }, { kind: 'processor.map' }), base.nodes[2]!],
      edges: [edge('a', 'b', 'other-id'), base.edges[1]!],
    };
    expect(isEmptyDiff(diffGraphs(base, reordered))).toBe(true);
  });

  it('reports added, removed and changed nodes, and added and removed connections', () => {
    const next: MeterGraph = {
      nodes: [node('a', { condition: 'x > 2' }, { label: 'Big ones' }), base.nodes[2]!, node('d', { keys: ['id'] }, { kind: 'processor.deduplicate' })],
      edges: [edge('a', 'd'), edge('d', 'c')],
    };
    const diff = diffGraphs(base, next);
    expect(diff.addedNodes.map((n) => n.id)).toEqual(['d']);
    expect(diff.removedNodes.map((n) => n.id)).toEqual(['b']);
    expect(diff.changedNodes.map((c) => [c.after.id, c.changed])).toEqual([['a', ['label', 'config']]]);
    expect(diff.changedNodes[0]!.before.config).toEqual({ condition: 'x > 1' });
    expect(diff.addedEdges.map((e) => e.id)).toEqual(['a-d', 'd-c']);
    expect(diff.removedEdges.map((e) => e.id)).toEqual(['a-b', 'b-c']);
  });

  it('reports a node whose kind changed under the same id', () => {
    const next = { ...base, nodes: [node('a', { condition: 'x > 1' }, { kind: 'processor.deduplicate' }), ...base.nodes.slice(1)] };
    expect(diffGraphs(base, next).changedNodes.map((c) => c.changed)).toEqual([['kind']]);
  });
});
