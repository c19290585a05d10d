import { describe, expect, it } from 'vitest';
import { compile } from '@/lib/expressions/compile';
import { createReferenceJexl } from '@/lib/expressions/reference';
import { invoiceChanges, usageEvent } from '@/lib/expressions/test-schema';

const jexl = createReferenceJexl();
const change = (over: Record<string, unknown> = {}) => ({
  changeType: 'UPDATE',
  Invoice: { Status: 'Posted', Status_old: 'Draft', Amount: 1500, InvoiceDate: '2026-01-10', DueDate: '2026-02-09', Comments: 'late' },
  Account: { Name: 'Acme', CrmId: '0015g00000ABCDEFGH', TradingPartnerCode__c: 'TP-1' },
  ...over,
});

describe('compile', () => {
  it.each([
    "changeType == 'UPDATE' && Invoice.Status == 'Posted' && Invoice.Status_old != 'Posted' && Invoice.Amount > 1000",
    "(changeType == 'UPDATE' || changeType == 'INSERT') && size(Account.CrmId) != 18 && size(Account.TradingPartnerCode__c) > 0",
    'Invoice.Amount * 2 + 1 - 3 / 4 // 1 % 5 ^ 2',
    "Invoice.Status in ['Draft', 'Posted'] && 'ost' in Invoice.Status",
    "Invoice.Missing.Deeper == null ? 'none' : 'some'",
    'Invoice.Amount ?: 0',
    "{a: Invoice.Amount, b: [1, 'x']}.b[1]",
    'upper(Account.Name) | lower',
    "1 == '1' && 0 == false && '' == 0",
  ])('%s gives what jexl gives', (source) => {
    for (const context of [change(), change({ changeType: 'INSERT' }), change({ Invoice: null }), {}]) {
      expect(compile(source)(context)).toEqual(jexl.compile(source).evalSync(context));
    }
  });

  it('resolves names case-insensitively against the schema', () => {
    const f = compile("INVOICE.STATUS == 'Posted' && invoice.status_old == 'Draft'", invoiceChanges);
    expect(f(change())).toBe(true);
    expect(compile('UNITS * 2', usageEvent)({ units: 21 })).toBe(42);
  });

  it('filters lists by relative conditions and indexes them', () => {
    const context = { lines: [{ qty: 1, sku: 'a' }, { qty: 5, sku: 'b' }, { qty: 9, sku: 'c' }] };
    expect(compile('lines[.qty > 2].sku')(context)).toBe('b');
    expect(compile('lines[.qty > 2]')(context)).toEqual([context.lines[1], context.lines[2]]);
    expect(compile('lines[2].sku')(context)).toBe('c');
    expect(compile('lines[true][0].qty')(context)).toBe(1);
  });

  it("changed('Field') is true only on an UPDATE whose value differs from _old", () => {
    const f = compile("changed('status')", invoiceChanges);
    expect(f(change())).toBe(true);
    expect(f(change({ Invoice: { Status: 'Posted', Status_old: 'Posted' } }))).toBe(false);
    expect(f(change({ changeType: 'INSERT', Invoice: { Status: 'Posted', Status_old: null } }))).toBe(false);
    expect(f(change({ changeType: 'DELETE' }))).toBe(false);
  });

  it('has the date and text functions users ask for', () => {
    const f = (s: string) => compile(s, invoiceChanges)(change());
    expect(f('daysBetween(Invoice.InvoiceDate, Invoice.DueDate)')).toBe(30);
    expect(f('addDays(Invoice.InvoiceDate, -10)')).toBe('2025-12-31T00:00:00.000Z');
    expect(f("startOfMonth('2026-03-17T10:00:00+02:00')")).toBe('2026-03-01T00:00:00.000Z');
    expect(f("date('2026-01-31 12:00')")).toBe('2026-01-31T12:00:00.000Z');
    expect(f("date('not a date')")).toBeNull();
    expect(f("trim('  x ') == 'x' && startsWith(Account.Name, 'Ac') && endsWith(Account.Name, 'me') && contains(Account.Name, 'cm')")).toBe(true);
    expect(f("isEmpty(Invoice.Nothing) && isEmpty('  ') && !isEmpty(Account.Name) && isNull(Invoice.Nothing)")).toBe(true);
    expect(f("number('12.5') + 1 == 13.5 && string(12) == '12' && number('x') == null")).toBe(true);
    expect(f("matches(Account.CrmId, '^0015[A-Za-z0-9]{14}$')")).toBe(true);
    expect(f("matches(Account.Name, '(a+)+$')")).toBe(false);
  });

  it('never fails on an event of another shape: missing or wrong-typed data reads as empty, and a condition on it is false', () => {
    const filters = [
      "meta.tags[0] == 'vip'",
      'meta.lines[1].qty > 2',
      'meta.lines.qty > 2',
      "meta.lines[.qty > 2].sku == 'a'",
      'meta.a[0] + meta.a[2] > 1',
      "meta['x']['y'] == 1",
      'size(meta.lines[0].sku) > 0',
      "changed('Status')",
    ];
    const events = [{}, { meta: null }, { meta: 5 }, { meta: 'text' }, { meta: [] }, { meta: { tags: [], lines: [], a: null, x: [] } }, { meta: { tags: [null], lines: [null, 7, 'x'], x: { y: [] } } }, { meta: { lines: {} } }];
    for (const source of filters) for (const event of events) expect(compile(source, usageEvent)(event), `${source} on ${JSON.stringify(event)}`).toBe(false);

    const conditions = ["Account.Tags[0] == 'a'", "Invoice.Items[1].Qty > 0", "Invoice.Items.Qty > 0", "changed('Status') && Invoice.Items[0].Qty > 0"];
    for (const source of conditions) {
      for (const invoiceChange of [{}, { changeType: 'UPDATE' }, { changeType: 'UPDATE', Invoice: { Status: 'Posted', Status_old: 'Draft', Items: [] } }, { Invoice: [], Account: [] }]) {
        expect(compile(source, invoiceChanges)(invoiceChange), `${source} on ${JSON.stringify(invoiceChange)}`).toBe(false);
      }
    }
  });

  it('compiles once: the same source and schema return the same function', () => {
    expect(compile('a == 1', usageEvent)).toBe(compile('a == 1', usageEvent));
  });

  it('fails like jexl on an unknown function, when called', () => {
    const f = compile('nope(1)');
    expect(() => f({})).toThrow('Jexl Function nope is not defined.');
  });

  it('reads only own properties, where jexl reaches prototypes', () => {
    const context = change();
    expect(jexl.compile('Invoice["constructor"]').evalSync(context)).toBe(Object);
    expect(compile('Invoice["constructor"]')(context)).toBeUndefined();
    expect(compile('Invoice.constructor')(context)).toBeUndefined();
    expect(compile("Account.Name['toUpperCase']")(context)).toBeUndefined();
    expect(compile("{__proto__: {polluted: 1}}.polluted")(context)).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
