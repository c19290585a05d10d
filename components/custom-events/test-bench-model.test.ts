import { describe, expect, it } from 'vitest';
import { contextOf, parseInput, sampleValue } from '@/components/custom-events/test-bench-model';
import { compile } from '@/lib/expressions/compile';
import { invoiceChanges } from '@/lib/expressions/test-schema';

const condition = "changeType == 'UPDATE' && Invoice.Status == 'Posted' && Invoice.Status_old != 'Posted' && Invoice.Amount > 1000";

describe('test bench model', () => {
  it('builds the change a trigger sees: _old null on INSERT, previous on UPDATE, last values on DELETE', () => {
    const sample = { current: { Status: 'Posted', Amount: 1500 }, previous: { Status: 'Draft', Amount: 10 } };
    const update = contextOf(invoiceChanges, { changeType: 'UPDATE', ...sample }) as { Invoice: Record<string, unknown> };
    expect(update.Invoice).toMatchObject({ Status: 'Posted', Status_old: 'Draft', Amount: 1500, Amount_old: 10, Balance: null });
    const insert = contextOf(invoiceChanges, { changeType: 'INSERT', ...sample }) as { Invoice: Record<string, unknown> };
    expect(insert.Invoice).toMatchObject({ Status: 'Posted', Status_old: null });
    const remove = contextOf(invoiceChanges, { changeType: 'DELETE', ...sample }) as { Invoice: Record<string, unknown> };
    expect(remove.Invoice).toMatchObject({ Status: 'Posted', Status_old: 'Posted' });
    expect(compile(condition, invoiceChanges)(update)).toBe(true);
    expect(compile(condition, invoiceChanges)(insert)).toBe(false);
  });

  it('types inputs by field and fills plausible defaults', () => {
    expect(parseInput({ name: 'Amount', type: 'number' }, '12.5')).toBe(12.5);
    expect(parseInput({ name: 'AutoPay', type: 'boolean' }, 'false')).toBe(false);
    expect(parseInput({ name: 'Name', type: 'string' }, '')).toBeNull();
    expect(sampleValue({ name: 'Status', type: 'string', picklist: ['Draft', 'Posted'] })).toBe('Draft');
    expect(sampleValue({ name: 'AccountId', type: 'string' })).toBe('ACCOUNTID-1');
  });
});
