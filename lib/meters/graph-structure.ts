import { categoryOf, type MeterEdge, type MeterGraph, type MeterNode } from '@/lib/meters/graph';
import { specOf } from '@/lib/meters/kinds';
import { nodeName } from '@/lib/meters/kinds/labels';
import type { MeterProblem } from '@/lib/meters/problems';

/** The graph as adjacency over its valid edges, with every node by id. */
export interface GraphIndex {
  nodes: Map<string, MeterNode>;
  edges: MeterEdge[];
  incoming: Map<string, MeterEdge[]>;
  outgoing: Map<string, MeterEdge[]>;
}

const error = (code: string, message: string, nodeIds: string[], edgeIds: string[] = []): MeterProblem => ({ code, severity: 'error', nodeIds, edgeIds, message });

/**
 * EDGE_INVALID for connections out of a node without an output (a target), into a node without an input
 * (a source), from a node to itself, or repeating another between the same two nodes; the rest index the graph.
 */
export function indexGraph(graph: MeterGraph): { index: GraphIndex; problems: MeterProblem[] } {
  const nodes = new Map(graph.nodes.map((n) => [n.id, n]));
  const incoming = new Map<string, MeterEdge[]>(graph.nodes.map((n) => [n.id, []]));
  const outgoing = new Map<string, MeterEdge[]>(graph.nodes.map((n) => [n.id, []]));
  const problems: MeterProblem[] = [];
  const seen = new Set<string>();
  const edges: MeterEdge[] = [];
  for (const edge of graph.edges) {
    const from = nodes.get(edge.source)!;
    const to = nodes.get(edge.target)!;
    const a = nodeName(from);
    const b = nodeName(to);
    const pair = `${edge.source}\u0000${edge.target}`;
    let message: string | null = null;
    if (edge.source === edge.target) message = `${a} is connected to itself; remove that connection.`;
    else if (specOf(from.kind).outputs === 0) message = `${a} is a target: nothing flows out of it. Remove the connection from ${a} to ${b}.`;
    else if (specOf(to.kind).inputs === 0) message = `${b} is a source: nothing flows into it. Remove the connection from ${a} to ${b}.`;
    else if (seen.has(pair)) message = `${a} is connected to ${b} twice; remove one of the connections.`;
    if (message) {
      problems.push(error('EDGE_INVALID', message, [...new Set([edge.source, edge.target])], [edge.id]));
      continue;
    }
    seen.add(pair);
    edges.push(edge);
    outgoing.get(edge.source)!.push(edge);
    incoming.get(edge.target)!.push(edge);
  }
  return { index: { nodes, edges, incoming, outgoing }, problems };
}

/** Strongly connected components of more than one node (Tarjan's algorithm, iterative): the cycles. */
export function cyclesOf(index: GraphIndex): string[][] {
  let counter = 0;
  const order = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  for (const root of index.nodes.keys()) {
    if (order.has(root)) continue;
    const work: { id: string; next: number }[] = [{ id: root, next: 0 }];
    order.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length) {
      const frame = work[work.length - 1]!;
      const out = index.outgoing.get(frame.id)!;
      if (frame.next < out.length) {
        const to = out[frame.next++]!.target;
        if (!order.has(to)) {
          order.set(to, counter);
          low.set(to, counter++);
          stack.push(to);
          onStack.add(to);
          work.push({ id: to, next: 0 });
        } else if (onStack.has(to)) low.set(frame.id, Math.min(low.get(frame.id)!, order.get(to)!));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.id, Math.min(low.get(parent.id)!, low.get(frame.id)!));
      if (low.get(frame.id) === order.get(frame.id)) {
        const component: string[] = [];
        let id: string;
        do {
          id = stack.pop()!;
          onStack.delete(id);
          component.push(id);
        } while (id !== frame.id);
        if (component.length > 1) cycles.push(component.reverse());
      }
    }
  }
  return cycles;
}

/** The nodes outside `excluded` in topological order (Kahn); nodes downstream of an excluded one are left out too. */
export function topologicalOrder(index: GraphIndex, excluded: ReadonlySet<string>): string[] {
  const pending = new Map<string, number>();
  const ready: string[] = [];
  for (const [id, edges] of index.incoming) {
    if (excluded.has(id)) continue;
    pending.set(id, edges.length);
    if (edges.length === 0) ready.push(id);
  }
  const order: string[] = [];
  while (ready.length) {
    const id = ready.pop()!;
    order.push(id);
    for (const edge of index.outgoing.get(id)!) {
      const left = pending.get(edge.target);
      if (left === undefined) continue;
      pending.set(edge.target, left - 1);
      if (left === 1) ready.push(edge.target);
    }
  }
  return order;
}

/** Nodes reachable from `starts` along the valid edges (the starts included). */
export function reachableFrom(index: GraphIndex, starts: Iterable<string>): Set<string> {
  const seen = new Set(starts);
  const queue = [...seen];
  while (queue.length) {
    for (const edge of index.outgoing.get(queue.pop()!)!) {
      if (!seen.has(edge.target)) {
        seen.add(edge.target);
        queue.push(edge.target);
      }
    }
  }
  return seen;
}

/** NO_SOURCE, NO_TARGET, CYCLE, NODE_DISCONNECTED, PROCESSOR_WITHOUT_INPUT and TARGET_UNREACHABLE. */
export function structureProblems(index: GraphIndex, cycles: string[][]): MeterProblem[] {
  const problems: MeterProblem[] = [];
  const all = [...index.nodes.values()];
  const sources = all.filter((n) => categoryOf(n.kind) === 'source');
  if (!sources.length) problems.push(error('NO_SOURCE', 'The meter has no source. Add one: an Event Store source, a File upload or an HTTP ingest.', []));
  if (!all.some((n) => categoryOf(n.kind) === 'target')) problems.push(error('NO_TARGET', 'The meter has no target. Add one: an Event Store target, Usage records or a Webhook.', []));
  for (const cycle of cycles) {
    const inCycle = new Set(cycle);
    const edgeIds = index.edges.filter((e) => inCycle.has(e.source) && inCycle.has(e.target)).map((e) => e.id);
    const names = cycle.map((id) => nodeName(index.nodes.get(id)!));
    problems.push(error('CYCLE', `${names.join(', ')} form a cycle, so records would flow around forever. Remove one of the connections between them.`, cycle, edgeIds));
  }
  const fed = reachableFrom(index, sources.map((s) => s.id));
  for (const node of all) {
    const ins = index.incoming.get(node.id)!.length;
    const outs = index.outgoing.get(node.id)!.length;
    const name = nodeName(node);
    const category = categoryOf(node.kind);
    if (ins + outs === 0 && all.length > 1) problems.push(error('NODE_DISCONNECTED', `${name} is not connected to anything. Connect it, or delete it.`, [node.id]));
    else if (category === 'processor' && ins === 0) problems.push(error('PROCESSOR_WITHOUT_INPUT', `${name} has no input. Connect a source or another processor to it.`, [node.id]));
    else if (category === 'target' && ins > 0 && !fed.has(node.id)) {
      problems.push(error('TARGET_UNREACHABLE', `${name} receives nothing from any source. Connect it to a path that starts at a source.`, [node.id], index.incoming.get(node.id)!.map((e) => e.id)));
    }
  }
  return problems;
}
