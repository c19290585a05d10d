import { describe, expect, it, vi } from 'vitest';
import type { MeterGraph } from '@/lib/meters/graph';
import { createMeterCanvasStore, GROUP_WINDOW_MS, isDirty, PASTE_OFFSET, type Analyze } from './canvas-store';
import { connectableTargets, connectionRefusal } from './connection-rules';

const graph = (): MeterGraph => ({
  nodes: [
    { id: 'src', kind: 'source.eventStore', label: 'Calls', position: { x: 0, y: 0 }, config: { storeId: 's1' } },
    { id: 'flt', kind: 'processor.filter', label: 'Paid', position: { x: 200, y: 0 }, config: { condition: 'units > 0' } },
    { id: 'dst', kind: 'target.eventStore', label: 'Daily', position: { x: 400, y: 0 }, config: { storeId: 's2', mapping: {} } },
  ],
  edges: [
    { id: 'e1', source: 'src', sourcePort: 'out', target: 'flt', targetPort: 'in' },
    { id: 'e2', source: 'flt', sourcePort: 'out', target: 'dst', targetPort: 'in' },
  ],
});

function setup(initial = graph()) {
  let clock = 0;
  const analyze = vi.fn<Analyze>((g) => ({ problems: [], schemas: Object.fromEntries(g.nodes.map((n) => [n.id, { input: { fields: [] }, output: { fields: [] } }])) }));
  const store = createMeterCanvasStore({ graph: initial, analyze, now: () => clock });
  return { store, analyze, tick: (ms: number) => (clock += ms), s: () => store.getState() };
}

describe('meter canvas store: analysis', () => {
  it('analyzes on creation and after every structural or config change', () => {
    const { s, analyze } = setup();
    expect(analyze).toHaveBeenCalledTimes(1);
    s().updateConfig('flt', { condition: 'units > 1' });
    s().setLabel('flt', 'Paid only');
    s().removeElements([], ['e2']);
    s().connect('flt', 'dst');
    expect(analyze).toHaveBeenCalledTimes(5);
    expect(analyze.mock.lastCall?.[0]).toBe(s().graph);
  });

  it('never reanalyzes on a move: dragging, arrow keys, auto-layout, or undoing and redoing them', () => {
    const { s, analyze } = setup();
    analyze.mockClear();
    s().moveNodes(new Map([['flt', { x: 210, y: 5 }]]));
    s().moveNodes(new Map([['flt', { x: 220, y: 10 }]]));
    s().commitMove();
    s().select({ nodes: ['src', 'dst'] });
    s().nudgeSelection(10, 0);
    s().commitMove();
    s().arrange(new Map([['src', { x: -50, y: -50 }]]));
    s().undo();
    s().undo();
    s().redo();
    expect(analyze).not.toHaveBeenCalled();
    expect(s().graph.nodes.find((n) => n.id === 'src')?.position).toEqual({ x: 10, y: 0 });
  });

  it('keeps the analyzed graph through moves (what the side panel reads), and moves it on with the analysis', () => {
    const { s } = setup();
    const analyzed = s().analyzedGraph;
    s().moveNodes(new Map([['flt', { x: 210, y: 5 }]]));
    s().commitMove();
    s().nudgeSelection(10, 0);
    expect(s().graph).not.toBe(analyzed);
    expect(s().analyzedGraph).toBe(analyzed);
    s().setLabel('flt', 'Paid only');
    expect(s().analyzedGraph).toBe(s().graph);
    s().undo();
    expect(s().analyzedGraph).toBe(s().graph);
    expect(s().analyzedGraph.nodes.find((n) => n.id === 'flt')?.label).toBe('Paid');
  });

  it('reanalyzes when undo or redo changes the structure', () => {
    const { s, analyze } = setup();
    s().removeElements(['flt']);
    analyze.mockClear();
    s().undo();
    s().redo();
    expect(analyze).toHaveBeenCalledTimes(2);
  });
});

describe('meter canvas store: history', () => {
  it('makes a whole drag one undo step', () => {
    const { s } = setup();
    for (let x = 201; x <= 260; x++) s().moveNodes(new Map([['flt', { x, y: 0 }]]));
    s().commitMove();
    expect(s().past).toHaveLength(1);
    s().undo();
    expect(s().graph.nodes[1]?.position).toEqual({ x: 200, y: 0 });
    s().redo();
    expect(s().graph.nodes[1]?.position).toEqual({ x: 260, y: 0 });
  });

  it('makes a burst of arrow-key moves one step, and commits a pending move before undoing it', () => {
    const { s } = setup();
    s().select({ nodes: ['src'] });
    for (let i = 0; i < 5; i++) s().nudgeSelection(0, 10);
    s().undo();
    expect(s().graph.nodes[0]?.position).toEqual({ x: 0, y: 0 });
    expect(s().past).toHaveLength(0);
    expect(s().future).toHaveLength(1);
  });

  it('makes deleting a selection one step that undo restores with its edges, and redo deletes again', () => {
    const { s } = setup();
    s().select({ nodes: ['flt', 'dst'] });
    s().deleteSelection();
    expect(s().graph.nodes.map((n) => n.id)).toEqual(['src']);
    expect(s().graph.edges).toEqual([]);
    expect(s().selection.nodes).toEqual([]);
    s().undo();
    expect(s().graph).toEqual(graph());
    s().redo();
    expect(s().graph.nodes.map((n) => n.id)).toEqual(['src']);
  });

  it('groups edits of one field within the window into one step, and starts a new step after a pause or another field', () => {
    const { s, tick } = setup();
    for (const condition of ['u', 'un', 'uni', 'units']) {
      s().updateConfig('flt', { condition });
      tick(200);
    }
    expect(s().past).toHaveLength(1);
    tick(GROUP_WINDOW_MS);
    s().updateConfig('flt', { condition: 'units > 2' });
    s().setLabel('flt', 'Big');
    expect(s().past).toHaveLength(3);
    s().undo();
    s().undo();
    expect(s().graph.nodes[1]?.config).toEqual({ condition: 'units' });
    s().undo();
    expect(s().graph.nodes[1]?.config).toEqual({ condition: 'units > 0' });
  });

  it('drops the redo branch after a new edit', () => {
    const { s } = setup();
    s().removeElements([], ['e1']);
    s().undo();
    s().setLabel('src', 'Calls 2');
    expect(s().future).toEqual([]);
  });
});

describe('meter canvas store: copy and paste', () => {
  it('pastes copies under new ids, offset, with the edges between them re-pointed, and selects them', () => {
    const { s } = setup();
    s().select({ nodes: ['src', 'flt'] });
    s().copySelection();
    s().paste();
    const { graph: pasted, selection } = s();
    expect(pasted.nodes).toHaveLength(5);
    const copies = pasted.nodes.slice(3);
    const ids = new Set(pasted.nodes.map((n) => n.id));
    expect(ids.size).toBe(5);
    expect(copies.map((n) => n.kind)).toEqual(['source.eventStore', 'processor.filter']);
    expect(copies[0]?.position).toEqual({ x: PASTE_OFFSET, y: PASTE_OFFSET });
    const newEdges = pasted.edges.slice(2);
    expect(newEdges).toHaveLength(1);
    expect(newEdges[0]).toMatchObject({ source: copies[0]?.id, target: copies[1]?.id });
    expect(['e1', 'e2']).not.toContain(newEdges[0]?.id);
    expect(selection.nodes).toEqual(copies.map((n) => n.id));
    s().paste();
    expect(s().graph.nodes[5]?.position).toEqual({ x: 2 * PASTE_OFFSET, y: 2 * PASTE_OFFSET });
    expect(new Set(s().graph.nodes.map((n) => n.id)).size).toBe(7);
    s().undo();
    s().undo();
    expect(s().graph).toEqual(graph());
  });

  it('gives a pasted node its own config, not the original object', () => {
    const { s } = setup();
    s().select({ nodes: ['flt'] });
    s().copySelection();
    s().paste();
    expect(s().graph.nodes[3]?.config).toEqual(s().graph.nodes[1]?.config);
    expect(s().graph.nodes[3]?.config).not.toBe(s().graph.nodes[1]?.config);
  });
});

describe('meter canvas store: adding, connecting, dirty', () => {
  it('adds a node selected and connected after the node it follows, in one step', () => {
    const { s } = setup();
    const id = s().addNode('processor.map', { keep: 'all', fields: [], drop: [], rename: [] }, { x: 300, y: 100 }, 'flt');
    expect(s().selection.nodes).toEqual([id]);
    expect(s().graph.edges.at(-1)).toMatchObject({ source: 'flt', target: id });
    s().undo();
    expect(s().graph).toEqual(graph());
  });

  it('adds a node unconnected when following the given node is not allowed (after a target)', () => {
    const { s } = setup();
    s().addNode('processor.map', {}, { x: 0, y: 0 }, 'dst');
    expect(s().graph.edges).toHaveLength(2);
  });

  it('refuses an invalid connection with the reason and changes nothing', () => {
    const { s } = setup();
    expect(s().connect('dst', 'flt')).toMatch(/“Daily” is a target/);
    expect(s().past).toHaveLength(0);
  });

  it('is dirty after an edit, clean after undoing it or after a save', () => {
    const { s } = setup();
    expect(isDirty(s())).toBe(false);
    s().setLabel('src', 'x');
    expect(isDirty(s())).toBe(true);
    s().undo();
    expect(isDirty(s())).toBe(false);
    s().setLabel('src', 'y');
    const sent = s().graph;
    s().setLabel('dst', 'typed while saving');
    s().markSaved(sent);
    expect(isDirty(s())).toBe(true);
    s().markSaved();
    expect(isDirty(s())).toBe(false);
  });
});

describe('connection rules (isValidConnection)', () => {
  const g = graph();
  it.each([
    ['src', 'src', /itself/],
    ['dst', 'flt', /is a target: nothing flows out of it/],
    ['flt', 'src', /is a source: nothing flows into it/],
    ['src', 'flt', /already connected/],
    ['dst', 'dst', /itself/],
  ])('refuses %s → %s', (source, target, reason) => {
    expect(connectionRefusal(g, source, target)).toMatch(reason);
  });

  it('refuses a connection that closes a cycle', () => {
    const withMap: MeterGraph = {
      nodes: [...g.nodes, { id: 'map', kind: 'processor.map', label: '', position: { x: 0, y: 0 }, config: {} }],
      edges: [...g.edges, { id: 'e3', source: 'flt', sourcePort: 'out', target: 'map', targetPort: 'in' }],
    };
    expect(connectionRefusal(withMap, 'map', 'flt')).toMatch(/would make a cycle/);
    expect(connectionRefusal(withMap, 'src', 'map')).toBeNull();
  });

  it('offers in "Connect to…" only the nodes a connection is allowed to', () => {
    expect(connectableTargets(g, 'src').map((n) => n.id)).toEqual(['dst']);
    expect(connectableTargets(g, 'dst')).toEqual([]);
  });
});

describe('meter canvas store: a new context', () => {
  it('analyzes again with the new function, as one more revision, without a history step', () => {
    const { s } = setup();
    const other = vi.fn<Analyze>(() => ({ problems: [{ code: 'STORE_NOT_FOUND', severity: 'error', nodeIds: ['src'], edgeIds: [], message: 'gone' }], schemas: {} }));
    const revision = s().revision;
    s().reanalyze(other);
    expect(s().analysis.problems).toHaveLength(1);
    expect(s().revision).toBe(revision + 1);
    expect(s().past).toHaveLength(0);
    s().setLabel('src', 'again');
    expect(other).toHaveBeenCalledTimes(2);
  });
});

describe('meter canvas store: file sample rows', () => {
  it('keeps a file source’s rows for the preview: the preview reruns, the graph and its history do not change', () => {
    const { s } = setup();
    const before = { graph: s().graph, revision: s().revision };
    s().setSampleRows('src', [{ id: 'a', units: 1 }]);
    expect(s().samples).toEqual({ src: [{ id: 'a', units: 1 }] });
    expect(s().revision).toBe(before.revision + 1);
    expect(s().graph).toBe(before.graph);
    expect(s().past).toHaveLength(0);
  });
});
