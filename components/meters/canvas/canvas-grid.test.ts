import { describe, expect, it } from 'vitest';
import { gridStep } from './canvas-grid';

describe('gridStep', () => {
  it('keeps the 20px grid from zoom 0.8 up', () => {
    expect(gridStep(1)).toBe(1);
    expect(gridStep(0.8)).toBe(1);
    expect(gridStep(2)).toBe(1);
  });

  it('doubles the gap until dots are at least 16 screen pixels apart', () => {
    expect(gridStep(0.5)).toBe(2); // 20 * 0.5 = 10px → 40 * 0.5 = 20px
    expect(gridStep(0.2)).toBe(4); // 20 * 0.2 = 4px → 80 * 0.2 = 16px
    expect(gridStep(0.1)).toBe(8);
    for (const zoom of [0.1, 0.15, 0.3, 0.45, 0.7]) expect(20 * gridStep(zoom) * zoom).toBeGreaterThanOrEqual(16);
  });
});
