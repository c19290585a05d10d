import { describe, expect, it } from 'vitest';
import { BENCH_CONDITIONS, benchContexts, expressionsSuite, longCondition, objectChangeSchema } from '@/lib/bench/expressions-suite';
import { SUITES } from '@/lib/bench/suites';
import type { BenchContext } from '@/lib/bench/types';
import { analyze } from '@/lib/expressions/analyze';
import { compile } from '@/lib/expressions/compile';
import { createReferenceJexl } from '@/lib/expressions/reference';

// The suite needs no database: it only reads `log` from the context.
const benchContext = (lines: string[]) => ({ log: (line: string) => lines.push(line) }) as unknown as BenchContext;

describe('expressions suite', () => {
  it('is registered', () => {
    expect(SUITES.map((s) => s.name)).toContain('expressions');
  });

  it('reports every figure, with targets on the compiled ones, on a few thousand records', async () => {
    const lines: string[] = [];
    const figures = await expressionsSuite({ contexts: 3000, warmup: 500, analyzeRuns: 5 }).run(benchContext(lines));
    expect(figures.map((f) => [f.suite, f.name, f.unit])).toEqual([
      ...['compiled', 'jexl-evalSync', 'hand-written', 'compiled (condition 2)', 'jexl-evalSync (condition 2)', 'hand-written (condition 2)'].map((name) => ['expressions', name, 'evaluations/s']),
      ['expressions', 'analyze-2kB', 'ms'],
    ]);
    for (const figure of figures) expect(figure.value).toBeGreaterThan(0);
    const jexl = figures.find((f) => f.name === 'jexl-evalSync')!.value!;
    expect(figures.find((f) => f.name === 'compiled')!.target).toEqual({ min: Math.max(5_000_000, 25 * jexl), rule: '25x jexl-evalSync, at least 5,000,000' });
    expect(figures.find((f) => f.name === 'analyze-2kB')!.note).toMatch(/^median of 5 runs on 2,\d{3} characters; target under 5 ms: (met|NOT MET)$/);
    expect(lines.some((l) => /condition 1 is true for [\d,]+ of 3,000 contexts/.test(l))).toBe(true);
  });

  it('times jexl on the first records only when a full pass would exceed its budget, and says so', async () => {
    const figures = await expressionsSuite({ contexts: 2000, warmup: 100, analyzeRuns: 1, jexlBudgetMs: 0, jexlFallback: 500 }).run(benchContext([]));
    expect(figures.find((f) => f.name === 'jexl-evalSync')!.note).toMatch(/^timed on the first 500 contexts: a full pass would take about \d+ s$/);
  });

  it('generates varied records on which the hand-written conditions agree with compile and jexl', () => {
    const contexts = benchContexts(5000);
    expect(benchContexts(5000, 42)).toEqual(contexts);
    const invoices = contexts.map((c) => c.Invoice as { Status: string | null; Amount: number | null } | null);
    expect(invoices.some((i) => i === null)).toBe(true);
    expect(new Set(invoices.map((i) => i?.Status)).size).toBeGreaterThanOrEqual(5);
    expect(invoices.some((i) => i?.Amount === null)).toBe(true);
    const crmLengths = new Set(contexts.map((c) => (c.Account as { CrmId: string | null } | null)?.CrmId?.length));
    expect([15, 18, 0, undefined].every((n) => crmLengths.has(n))).toBe(true);

    const jexl = createReferenceJexl();
    for (const condition of BENCH_CONDITIONS) {
      const compiled = compile(condition.source, objectChangeSchema(condition.baseObject));
      const reference = jexl.compile(condition.source);
      const results = contexts.map((c) => [compiled(c), reference.evalSync(c), condition.handWritten(c)]);
      for (const [a, b, c] of results) expect([b, c]).toEqual([a, a]);
      // Both outcomes occur.
      expect(new Set(results.map(([a]) => a))).toEqual(new Set([true, false]));
    }
  });

  it('analyzes a realistic 2 kB condition without errors', () => {
    const source = longCondition();
    expect(source.length).toBeGreaterThanOrEqual(2048);
    expect(source.length).toBeLessThan(2300);
    const { diagnostics, type } = analyze(source, objectChangeSchema('Invoice'), { requireBoolean: true });
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(type).toBe('boolean');
  });
});
