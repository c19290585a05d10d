import type { MeterGraph } from '@/lib/meters/graph';

/**
 * Meters that break each rule of validateMeter, built on the factories' definition (fields id, at): the
 * save tests and the run tests refuse the same graphs with the same problems. `nodeIds`, where given, are
 * the nodes the rule's problem must name.
 */
export interface RuleBreakingGraph {
  code: string;
  graph: MeterGraph;
  nodeIds?: string[];
}

export const meterNode = (id: string, kind: MeterGraph['nodes'][number]['kind'], config: unknown, x = 0) => ({ id, kind, label: '', position: { x, y: 0 }, config });
export const meterEdge = (source: string, targetId: string) => ({ id: `${source}-${targetId}`, source, sourcePort: 'out' as const, target: targetId, targetPort: 'in' as const });

/** Event Store → Filter → Event Store, mapped by name onto the factories' definition (id, at). */
export const filterPipeline = (sourceStore: string, targetStore: string): MeterGraph => ({
  nodes: [
    meterNode('src', 'source.eventStore', { storeId: sourceStore }),
    meterNode('keep', 'processor.filter', { condition: 'true' }, 200),
    meterNode('dst', 'target.eventStore', { storeId: targetStore, mapping: { id: 'id', at: 'at' } }, 400),
  ],
  edges: [meterEdge('src', 'keep'), meterEdge('keep', 'dst')],
});

/** `source` and `target`: stores of the workspace; `foreign`: a store of another workspace. */
export function ruleBreakingGraphs(source: string, target: string, foreign: string): RuleBreakingGraph[] {
  const base = () => filterPipeline(source, target);
  const withNodes = (extra: MeterGraph['nodes'], edges: MeterGraph['edges'] = []): MeterGraph => {
    const graph = base();
    return { nodes: [...graph.nodes, ...extra], edges: [...graph.edges, ...edges] };
  };
  const withTarget = (mapping: Record<string, string>): MeterGraph => {
    const graph = base();
    return { ...graph, nodes: graph.nodes.map((n) => (n.id === 'dst' ? { ...n, config: { storeId: target, mapping } } : n)) };
  };
  const withCondition = (config: unknown): MeterGraph => {
    const graph = base();
    return { ...graph, nodes: graph.nodes.map((n) => (n.id === 'keep' ? { ...n, config } : n)) };
  };
  const filter = (id: string) => meterNode(id, 'processor.filter', { condition: 'true' });
  return [
    { code: 'STORE_SOURCE_AND_TARGET', graph: filterPipeline(source, source), nodeIds: ['dst', 'src'] },
    {
      code: 'STORE_TARGET_TWICE',
      graph: withNodes([meterNode('dst2', 'target.eventStore', { storeId: target, mapping: { id: 'id', at: 'at' } })], [meterEdge('keep', 'dst2')]),
      nodeIds: ['dst', 'dst2'],
    },
    { code: 'STORE_NOT_FOUND', graph: filterPipeline(source, foreign), nodeIds: ['dst'] },
    { code: 'NO_SOURCE', graph: { nodes: [base().nodes[2]!], edges: [] }, nodeIds: [] },
    { code: 'GRAPH_INVALID', graph: { nodes: [meterNode('x', 'processor.filter', {})], edges: [meterEdge('x', 'ghost')] }, nodeIds: [] },
    { code: 'NO_TARGET', graph: { nodes: base().nodes.slice(0, 2), edges: [meterEdge('src', 'keep')] } },
    { code: 'CYCLE', graph: withNodes([filter('back')], [meterEdge('keep', 'back'), meterEdge('back', 'keep')]) },
    { code: 'NODE_DISCONNECTED', graph: withNodes([filter('lonely')]) },
    { code: 'PROCESSOR_WITHOUT_INPUT', graph: withNodes([filter('dangling')], [meterEdge('dangling', 'dst')]) },
    // A target fed only by a processor that has no input of its own: connected, yet no source reaches it.
    {
      code: 'TARGET_UNREACHABLE',
      graph: withNodes([filter('stray'), meterNode('hook', 'target.webhook', { url: 'https://example.com/hook', batchSize: 100 })], [meterEdge('stray', 'hook')]),
    },
    { code: 'EDGE_INVALID', graph: withNodes([filter('after')], [meterEdge('dst', 'after')]) },
    { code: 'CONFIG_INVALID', graph: withCondition({}) },
    { code: 'EXPRESSION', graph: withCondition({ condition: 'nosuchfield > 1' }) },
    { code: 'EVENT_TIME_UNMAPPED', graph: withTarget({ id: 'id' }) },
    { code: 'MAPPING_INCOMPLETE', graph: withTarget({ at: 'at' }) },
    { code: 'MAPPING_TYPE', graph: withTarget({ id: 'id', at: 'id' }) },
  ];
}
