import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Figure } from '@/lib/bench/types';

export interface BenchArgs {
  /** The suites to run, in registry order; all when none was named. */
  suites: string[];
  json?: string;
}

/**
 * `[suite ...] [--json FILE]`. Throws an Error with one line for anything else (an unknown suite names the
 * known ones).
 */
export function parseBenchArgs(argv: string[], known: readonly string[]): BenchArgs {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, strict: true, options: { json: { type: 'string' } } });
  } catch (error) {
    throw new Error(`${(error as Error).message.split('\n')[0]} (usage: npm run bench -- [suite ...] [--json FILE])`);
  }
  const unknown = parsed.positionals.filter((name) => !known.includes(name));
  if (unknown.length) {
    throw new Error(`unknown suite${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => `"${n}"`).join(', ')}; the suites are: ${known.join(', ')}`);
  }
  const named = new Set(parsed.positionals);
  return { suites: named.size ? known.filter((name) => named.has(name)) : [...known], json: parsed.values.json };
}

export const meetsTarget = (figure: Figure) => !figure.target || (figure.value !== null && figure.value >= figure.target.min);

/** A plain-text table: suite, name, value, unit, target and pass/FAIL; notes below it. */
export function formatTable(figures: Figure[]): string {
  const rows = figures.map((f) => [
    f.suite,
    f.name,
    f.value === null ? '-' : f.value.toLocaleString('en'),
    f.unit,
    f.target ? `>= ${f.target.min.toLocaleString('en')} (${f.target.rule})` : '',
    f.value === null ? 'skipped' : f.target ? (meetsTarget(f) ? 'pass' : 'FAIL') : '',
  ]);
  const header = ['suite', 'name', 'value', 'unit', 'target', ''];
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, c) => (c === 2 ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
      .join('  ')
      .trimEnd();
  const notes = figures.filter((f) => f.note).map((f) => `  ${f.suite}/${f.name}: ${f.note}`);
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line), ...(notes.length ? ['', 'notes:', ...notes] : [])].join('\n');
}

/** The figures as a JSON array, one object per figure: {suite, name, value, unit}, and target/note when set. */
export function figuresJson(figures: Figure[]): string {
  return `${JSON.stringify(
    figures.map(({ suite, name, value, unit, target, note }) => ({ suite, name, value, unit, ...(target && { target }), ...(note && { note }) })),
    null,
    2,
  )}\n`;
}

export function writeFiguresJson(file: string, figures: Figure[]): void {
  writeFileSync(file, figuresJson(figures));
}
