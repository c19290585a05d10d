'use client';

import { Background, useStore, type ReactFlowState } from '@xyflow/react';
import { memo } from 'react';

/** The grid's spacing at zoom 1, in flow pixels. */
const BASE_GAP = 20;
/** The closest the dots may come on screen: below it the grid coarsens (doubles its gap), as map and design tools do. */
const MIN_SCREEN_GAP = 16;

/**
 * How much coarser than BASE_GAP the grid is at `zoom`: 1, 2, 4… so that dots stay at least MIN_SCREEN_GAP
 * apart on screen. React Flow's own grid keeps a 20px gap at every zoom, which at the zoom that fits 200 nodes
 * (about 0.2) is a dot every 4 screen pixels, 50,000 sub-pixel dots repainted on every panning frame by
 * Chromium's software rasterizer, for a grid nobody can see.
 */
export function gridStep(zoom: number): number {
  let step = 1;
  while (BASE_GAP * step * zoom < MIN_SCREEN_GAP && step < 1024) step *= 2;
  return step;
}

const stepOf = (s: ReactFlowState) => gridStep(s.transform[2]);

/** The canvas's dotted grid; re-renders only when the zoom crosses into another step, never while panning. */
export const CanvasGrid = memo(function CanvasGrid() {
  const step = useStore(stepOf);
  return <Background gap={BASE_GAP * step} size={step} />;
});
