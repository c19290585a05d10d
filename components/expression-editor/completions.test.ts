import { describe, expect, it } from 'vitest';
import { callAt, completionsAt, hoverAt } from '@/components/expression-editor/completions';
import { invoiceChanges, usageEvent } from '@/lib/expressions/test-schema';

const labels = (source: string, offset = source.length, schema = invoiceChanges) => completionsAt(source, offset, schema).map((c) => c.label);

describe('completionsAt', () => {
  it('offers objects, changeType, functions and booleans at the start', () => {
    const items = labels('');
    expect(items).toEqual(expect.arrayContaining(['changeType', 'Invoice', 'Account', 'ProductRatePlan', 'lower', 'changed', 'daysBetween', 'true']));
    const lower = completionsAt('', 0, invoiceChanges).find((c) => c.label === 'lower')!;
    expect(lower).toMatchObject({ insertText: 'lower(${1:text})', snippet: true, detail: 'lower(text: string) → string' });
  });

  it("after Object. offers its fields with types, and _old variants only on the base object", () => {
    const invoice = completionsAt("changeType == 'UPDATE' && Invoice.St", 36, invoiceChanges);
    expect(invoice.map((c) => c.label)).toEqual(expect.arrayContaining(['Status', 'Status_old', 'Amount', 'Amount_old']));
    expect(invoice.find((c) => c.label === 'Status')).toMatchObject({ kind: 'field', detail: "string: 'Draft' | 'Posted' | 'Canceled' | 'Error'", replaceFrom: 34 });
    const account = labels('Account.');
    expect(account).toContain('TradingPartnerCode__c');
    expect(account.some((l) => l.endsWith('_old'))).toBe(false);
    expect(labels('NoSuchObject.')).toEqual([]);
  });

  it('inside quotes after a comparison offers the allowed values', () => {
    expect(labels("changeType == '")).toEqual(['INSERT', 'UPDATE', 'DELETE']);
    expect(labels("Invoice.Status != 'Po")).toEqual(['Draft', 'Posted', 'Canceled', 'Error']);
    expect(completionsAt("Invoice.Status == 'Po", 21, invoiceChanges)[1]).toMatchObject({ insertText: "Posted'", replaceFrom: 19 });
    expect(labels("lower('some text")).toEqual([]);
  });

  it('in meter processors offers the event fields', () => {
    expect(completionsAt('', 0, usageEvent).map((c) => c.label)).toEqual(expect.arrayContaining(['customerId', 'units', 'lower']));
    expect(completionsAt('', 0, usageEvent).map((c) => c.label)).not.toContain('changed');
  });
});

describe('callAt and hoverAt', () => {
  it('finds the call and argument under the cursor', () => {
    expect(callAt("daysBetween(Invoice.InvoiceDate, ", 33)).toEqual({ name: 'daysBetween', argument: 1 });
    expect(callAt("lower(Invoice.Status) == 'x'", 10)).toEqual({ name: 'lower', argument: 0 });
    expect(callAt("lower('a, b', ", 14)).toEqual({ name: 'lower', argument: 1 });
    expect(callAt('Invoice.Amount > 1', 5)).toBeNull();
  });

  it('describes fields, _old values and functions', () => {
    expect(hoverAt("Invoice.Status == 'x'", 10, invoiceChanges)).toMatchObject({ start: 0, end: 14, title: 'Invoice.Status: string' });
    expect(hoverAt('Invoice.Status_old', 12, invoiceChanges)?.doc).toMatch(/^Previous value of Status: filled on UPDATE, null on INSERT/);
    expect(hoverAt('size(Account.CrmId)', 2, invoiceChanges)).toMatchObject({ title: 'size(value: any) → integer' });
  });
});
