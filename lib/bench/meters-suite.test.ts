import { describe, expect, it } from 'vitest';
import { metersSuite } from '@/lib/bench/meters-suite';
import { SUITES } from '@/lib/bench/suites';
import type { BenchContext } from '@/lib/bench/types';

// The suite needs no database: it only reads `log` from the context.
const benchContext = (lines: string[]) => ({ log: (line: string) => lines.push(line) }) as unknown as BenchContext;

describe('meters suite', () => {
  it('is registered', () => {
    expect(SUITES.map((s) => s.name)).toContain('meters');
  });

  it('reports the validation and preview figures in ms, with their limits in the notes', async () => {
    const lines: string[] = [];
    const figures = await metersSuite({ validateRuns: 5, previewRuns: 2 }).run(benchContext(lines));
    expect(figures.map((f) => [f.suite, f.name, f.unit])).toEqual([
      ['meters', 'validate-200-nodes', 'ms'],
      ['meters', 'preview-1000-events-5-processors', 'ms'],
    ]);
    for (const figure of figures) expect(figure.value).toBeGreaterThan(0);
    expect(figures[0]!.note).toMatch(/^median of 5 runs with nodes and analyses remembered \(as on the canvas; CPU time [\d.]+ ms\); with nothing remembered [\d.]+ ms; target under 2 ms: (met|NOT MET)$/);
    expect(figures[1]!.note).toMatch(/^median of 2 runs \(CPU time [\d.]+ ms\); target under 300 ms: (met|NOT MET)$/);
    expect(lines.some((l) => /^meters: validateMeter, 200 nodes and 199 edges: median/.test(l))).toBe(true);
  });
});
