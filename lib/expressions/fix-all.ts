import type { Diagnostic, DiagnosticCode, Fix } from '@/lib/expressions/diagnostics';

type Edit = Fix['edits'][number];

export interface FixAll {
  code: DiagnosticCode;
  /** How many diagnostics the combined fix resolves. */
  count: number;
  fix: Fix;
}

/** Two edits touch the same text, or insert at the same place (their order would be a guess). */
const overlaps = (a: Edit, b: Edit) => (a.start < b.end && b.start < a.end) || a.start === b.start;

/**
 * One fix made of the first fix of every diagnostic with `code`, as a single edit list (one undo step).
 * A fix whose edits overlap one already taken is left out whole (never half-applied), so the result is
 * what applying the fixes one by one, earliest first, would give. Edits are in source order and all
 * refer to offsets of the original source. Null when fewer than two fixes can be combined.
 */
export function combineFixes(diagnostics: readonly Diagnostic[], code: DiagnosticCode): FixAll | null {
  const taken: Edit[] = [];
  let count = 0;
  const candidates = diagnostics.filter((d) => d.code === code && d.fixes.length > 0).sort((a, b) => a.start - b.start);
  for (const diagnostic of candidates) {
    const edits = diagnostic.fixes[0]!.edits;
    if (edits.some((e) => taken.some((t) => overlaps(e, t)))) continue;
    taken.push(...edits);
    count += 1;
  }
  if (count < 2) return null;
  return { code, count, fix: { title: fixAllTitle(code, count), edits: taken.sort((a, b) => a.start - b.start || a.end - b.end) } };
}

/** Every "fix all" on offer: one per code that has two or more combinable fixes, in order of first appearance. */
export function fixAllOffers(diagnostics: readonly Diagnostic[]): FixAll[] {
  const codes = [...new Set(diagnostics.map((d) => d.code))];
  return codes.flatMap((code) => combineFixes(diagnostics, code) ?? []);
}

export const fixAllTitle = (code: DiagnosticCode, count: number) =>
  code === 'NON_CANONICAL_NAME' ? `Fix all ${count} casing hints` : `Fix all ${count} problems of this kind`;

/** The source with non-overlapping edits (offsets of the original source) applied. */
export function applyEdits(source: string, edits: readonly Edit[]): string {
  return [...edits].sort((a, b) => b.start - a.start || b.end - a.end).reduce((s, e) => s.slice(0, e.start) + e.text + s.slice(e.end), source);
}
