'use client';

import { useReactFlow } from '@xyflow/react';
import { useCallback } from 'react';
import { categoryOf, type NodeKind } from '@/lib/meters/graph';
import { specOf } from '@/lib/meters/kinds';
import { DEFAULT_NODE_SIZE, placementFor } from './auto-layout';
import { useMeterEditor } from './editor-context';

/**
 * Click-to-add and the quick-add: a node of `kind` placed next to the selected node and connected after it
 * when that makes sense (one node selected, the new node has an input, the selected one an output),
 * otherwise in free space; the view then centers on it. Returns the new node's id.
 */
export function useAddNode(): (kind: NodeKind) => string {
  const { store } = useMeterEditor();
  const { setCenter, getZoom } = useReactFlow();
  return useCallback(
    (kind: NodeKind) => {
      const { graph, selection } = store.getState();
      const only = selection.nodes.length === 1 ? graph.nodes.find((n) => n.id === selection.nodes[0]) : undefined;
      const follows = only && categoryOf(kind) !== 'source' && categoryOf(only.kind) !== 'target' ? only.id : undefined;
      const position = placementFor(graph, follows, categoryOf(kind) === 'source');
      const id = store.getState().addNode(kind, specOf(kind).defaultConfig(), position, follows);
      void setCenter(position.x + DEFAULT_NODE_SIZE.width / 2, position.y + DEFAULT_NODE_SIZE.height / 2, { zoom: getZoom(), duration: 150 });
      return id;
    },
    [store, setCenter, getZoom],
  );
}
