import { describe, expect, it } from 'vitest';
import { compile } from '@/lib/expressions/compile';
import { explain, type ExplainNode } from '@/lib/expressions/explain';
import { invoiceChanges } from '@/lib/expressions/test-schema';

const condition = "changeType == 'UPDATE' && Invoice.Status == 'Posted' && Invoice.Status_old != 'Posted' && Invoice.Amount > 1000";
const change = (amount: number) => ({ changeType: 'UPDATE', Invoice: { Status: 'Posted', Status_old: 'Draft', Amount: amount } });
const summary = (n: ExplainNode): unknown => ({ text: n.text, ...(n.skipped ? { skipped: true } : { value: n.value }), ...(n.children.length ? { children: n.children.map(summary) } : {}) });

describe('explain', () => {
  it('shows each part of an && chain with its value', () => {
    const tree = explain(condition, change(1500), invoiceChanges);
    expect(tree.value).toBe(true);
    expect(tree.children.map((c) => [c.text, c.value])).toEqual([
      ["changeType == 'UPDATE'", true],
      ["Invoice.Status == 'Posted'", true],
      ["Invoice.Status_old != 'Posted'", true],
      ['Invoice.Amount > 1000', true],
    ]);
  });

  it('shows which part failed, its operands, and that nothing after it ran', () => {
    const tree = explain("changeType == 'UPDATE' && Invoice.Amount > 1000 && Invoice.Status == 'Posted'", change(900), invoiceChanges);
    expect(summary(tree)).toEqual({
      text: "changeType == 'UPDATE' && Invoice.Amount > 1000 && Invoice.Status == 'Posted'",
      value: false,
      children: [
        { text: "changeType == 'UPDATE'", value: true, children: [{ text: 'changeType', value: 'UPDATE' }, { text: "'UPDATE'", value: 'UPDATE' }] },
        { text: 'Invoice.Amount > 1000', value: false, children: [{ text: 'Invoice.Amount', value: 900 }, { text: '1000', value: 1000 }] },
        { text: "Invoice.Status == 'Posted'", skipped: true, children: [{ text: 'Invoice.Status', skipped: true }, { text: "'Posted'", skipped: true }] },
      ],
    });
  });

  it('always agrees with the compiled function', () => {
    for (const amount of [0, 999, 1000, 1001, 5000]) {
      for (const type of ['INSERT', 'UPDATE', 'DELETE']) {
        const context = { ...change(amount), changeType: type };
        expect(explain(condition, context, invoiceChanges).value).toBe(compile(condition, invoiceChanges)(context));
      }
    }
  });

  it('marks the branch of a ? : that was not taken, and reports errors where they happen', () => {
    const tree = explain("Invoice.Amount > 1000 ? 'big' : 'small'", change(10));
    expect(tree.children.map((c) => [c.text, c.skipped ?? false])).toEqual([
      ['Invoice.Amount > 1000', false],
      ["'big'", true],
      ["'small'", false],
    ]);
    const failing = explain('nope(Invoice.Amount)', change(1));
    expect(failing.error).toBe('Jexl Function nope is not defined.');
    expect(failing.children[0]).toMatchObject({ text: 'Invoice.Amount', value: 1 });
  });

  it('shows missing data as empty (null) at every step, never as an error', () => {
    const tree = explain("Invoice.Lines[1].Qty > 2 || Account.Tags[0] == 'a' || Invoice.Lines.Qty == 1", { Invoice: { Lines: [] } });
    expect(summary(tree)).toEqual({
      text: "Invoice.Lines[1].Qty > 2 || Account.Tags[0] == 'a' || Invoice.Lines.Qty == 1",
      value: false,
      children: [
        { text: 'Invoice.Lines[1].Qty > 2', value: false, children: [{ text: 'Invoice.Lines[1].Qty', value: null }, { text: '2', value: 2 }] },
        { text: "Account.Tags[0] == 'a'", value: false, children: [{ text: 'Account.Tags[0]', value: null, children: [{ text: 'Account.Tags', value: null }, { text: '0', value: 0 }] }, { text: "'a'", value: 'a' }] },
        { text: 'Invoice.Lines.Qty == 1', value: false, children: [{ text: 'Invoice.Lines.Qty', value: null }, { text: '1', value: 1 }] },
      ],
    });
  });
});
