import { describe, expect, it } from 'vitest';
import { analyze } from '@/lib/expressions/analyze';
import type { Diagnostic } from '@/lib/expressions/diagnostics';
import { applyEdits, combineFixes, fixAllOffers } from '@/lib/expressions/fix-all';
import { invoiceChanges } from '@/lib/expressions/test-schema';

const hint = (start: number, end: number, text: string, code: Diagnostic['code'] = 'NON_CANONICAL_NAME'): Diagnostic => ({
  start,
  end,
  severity: 'info',
  code,
  message: '',
  fixes: [{ title: `Write ${text}`, edits: [{ start, end, text }] }],
});

describe('combineFixes', () => {
  it('fixes seven casing hints in one edit list, in source order, with offsets of the original text', () => {
    const source = "INVOICE.STATUS == 'Posted' && invoice.amount > 1 && Account.NAME != 'x' && account.currency == 'EUR'";
    const diagnostics = analyze(source, invoiceChanges, { requireBoolean: true }).diagnostics;
    expect(diagnostics.filter((d) => d.code === 'NON_CANONICAL_NAME')).toHaveLength(7);
    const all = combineFixes([...diagnostics].reverse(), 'NON_CANONICAL_NAME')!;
    expect(all).toMatchObject({ code: 'NON_CANONICAL_NAME', count: 7, fix: { title: 'Fix all 7 casing hints' } });
    expect(all.fix.edits.map((e) => e.start)).toEqual([...all.fix.edits.map((e) => e.start)].sort((a, b) => a - b));
    const fixed = applyEdits(source, all.fix.edits);
    expect(fixed).toBe("Invoice.Status == 'Posted' && Invoice.Amount > 1 && Account.Name != 'x' && Account.Currency == 'EUR'");
    expect(analyze(fixed, invoiceChanges, { requireBoolean: true }).diagnostics).toEqual([]);
  });

  it('leaves out a whole fix that overlaps one already taken, and keeps the earlier one', () => {
    const diagnostics = [hint(0, 5, 'AAAAA'), hint(3, 8, 'BBBBB'), hint(10, 12, 'CC')];
    const all = combineFixes(diagnostics, 'NON_CANONICAL_NAME')!;
    expect(all.count).toBe(2);
    expect(all.fix.edits).toEqual([
      { start: 0, end: 5, text: 'AAAAA' },
      { start: 10, end: 12, text: 'CC' },
    ]);
  });

  it('treats two insertions at one place as overlapping, but edits that only touch as separate', () => {
    expect(combineFixes([hint(4, 4, '('), hint(4, 4, ')')], 'NON_CANONICAL_NAME')).toBeNull();
    expect(combineFixes([hint(0, 4, 'a'), hint(4, 6, 'b')], 'NON_CANONICAL_NAME')?.count).toBe(2);
  });

  it('only combines diagnostics of the one code, and offers nothing for a single fix', () => {
    const diagnostics = [hint(0, 2, 'x'), hint(5, 6, 'y', 'UNKNOWN_FIELD'), hint(8, 9, 'z', 'UNKNOWN_FIELD')];
    expect(combineFixes(diagnostics, 'NON_CANONICAL_NAME')).toBeNull();
    expect(fixAllOffers(diagnostics)).toEqual([
      { code: 'UNKNOWN_FIELD', count: 2, fix: { title: 'Fix all 2 problems of this kind', edits: [{ start: 5, end: 6, text: 'y' }, { start: 8, end: 9, text: 'z' }] } },
    ]);
  });

  it('takes a shared fix (the same edits on every diagnostic) once', () => {
    const source = "Invoice.Status_old == 'Draft' && Invoice.Amount_old > 1";
    const diagnostics = analyze(source, invoiceChanges, { requireBoolean: true }).diagnostics;
    expect(diagnostics.map((d) => d.code)).toEqual(['OLD_WITHOUT_UPDATE', 'OLD_WITHOUT_UPDATE']);
    expect(combineFixes(diagnostics, 'OLD_WITHOUT_UPDATE')).toBeNull();
  });
});

describe('applyEdits', () => {
  it('applies edits given in any order against the original offsets', () => {
    expect(applyEdits('abcdef', [{ start: 4, end: 6, text: 'XY' }, { start: 0, end: 1, text: '' }, { start: 2, end: 2, text: '-' }])).toBe('b-cdXY');
  });
});
