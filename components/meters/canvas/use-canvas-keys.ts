'use client';

import { useEffect, type RefObject } from 'react';
import type { MeterCanvasStore } from './canvas-store';

/** How far an arrow key moves the selection; with Shift, the larger step. */
export const NUDGE = 10;
export const NUDGE_LARGE = 50;
/** A burst of arrow keys ends (one undo step) after this pause. */
const BURST_END_MS = 500;

const ARROWS: Record<string, [number, number]> = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };

/** Keys typed into a field, a menu or a dialog belong to it, not to the canvas. */
function belongsElsewhere(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)) return true;
  return target.closest('[role="dialog"], [role="listbox"], [role="menu"], [role="combobox"], [role="tablist"], .monaco-editor') !== null;
}

/**
 * The editor's shortcuts, anywhere on the page outside fields and dialogs: undo (Ctrl/Cmd+Z), redo
 * (Shift+Ctrl/Cmd+Z, Ctrl+Y), copy and paste, Delete/Backspace, arrows to move the selection (Shift for a
 * larger step; a burst is one undo step), "/" for the quick-add, and Tab on the canvas itself.
 */
export function useCanvasKeys(store: MeterCanvasStore, editable: boolean, canvas: RefObject<HTMLElement | null>, openQuickAdd: () => void) {
  useEffect(() => {
    let burst: ReturnType<typeof setTimeout> | undefined;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || belongsElsewhere(event.target)) return;
      const state = store.getState();
      const mod = event.ctrlKey || event.metaKey;
      const key = event.key.toLowerCase();
      const handled = () => event.preventDefault();

      if (mod && key === 'z') return handled(), event.shiftKey ? state.redo() : state.undo();
      if (mod && key === 'y') return handled(), state.redo();
      if (mod && key === 'c') {
        if (window.getSelection()?.toString()) return; // the user is copying text from the page
        return handled(), state.copySelection();
      }
      if (!editable) return;
      if (mod && key === 'v') return handled(), state.paste();
      if (mod && key === 'a' && event.target === canvas.current) return handled(), state.select({ nodes: state.graph.nodes.map((n) => n.id), edges: [] });
      if (mod || event.altKey) return;
      if (event.key === 'Delete' || event.key === 'Backspace') {
        if (state.selection.nodes.length + state.selection.edges.length === 0) return;
        return handled(), state.deleteSelection();
      }
      const arrow = ARROWS[event.key];
      if (arrow && state.selection.nodes.length > 0) {
        handled();
        const step = event.shiftKey ? NUDGE_LARGE : NUDGE;
        state.nudgeSelection(arrow[0] * step, arrow[1] * step);
        clearTimeout(burst);
        burst = setTimeout(() => store.getState().commitMove(), BURST_END_MS);
        return;
      }
      if (event.key === '/' || (event.key === 'Tab' && !event.shiftKey && event.target === canvas.current)) return handled(), openQuickAdd();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => {
      window.removeEventListener('keydown', onKeyDown);
      clearTimeout(burst);
      store.getState().commitMove();
    };
  }, [store, editable, canvas, openQuickAdd]);
}
