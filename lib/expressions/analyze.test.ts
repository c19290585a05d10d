import { describe, expect, it } from 'vitest';
import { analyze } from '@/lib/expressions/analyze';
import type { Diagnostic } from '@/lib/expressions/diagnostics';
import { BILLING_OBJECTS, withCustomFields } from '@/lib/custom-events/object-model';
import { invoiceChanges, usageEvent } from '@/lib/expressions/test-schema';
import { cpuMsSince } from '@/lib/testing/cpu-time';

const condition = (source: string) => analyze(source, invoiceChanges, { requireBoolean: true }).diagnostics;
const at = (source: string, d: Diagnostic) => source.slice(d.start, d.end);
const applyFix = (source: string, d: Diagnostic, i = 0) =>
  [...d.fixes[i]!.edits].sort((a, b) => b.start - a.start).reduce((s, e) => s.slice(0, e.start) + e.text + s.slice(e.end), source);

describe('analyze: clean conditions', () => {
  it.each([
    "changeType == 'UPDATE' && Invoice.Status == 'Posted' && Invoice.Status_old != 'Posted' && Invoice.Amount > 1000",
    "(changeType == 'UPDATE' || changeType == 'INSERT') && size(Account.CrmId) != 18 && size(Account.TradingPartnerCode__c) > 0",
    "changed('Status') && Invoice.Status == 'Posted'",
    "daysBetween(Invoice.InvoiceDate, Invoice.DueDate) > 30 && matches(Invoice.InvoiceNumber, '^INV-[0-9]+$')",
  ])('%s has no diagnostics', (source) => {
    expect(condition(source)).toEqual([]);
  });
});

describe('analyze: problems, at their place, with fixes', () => {
  it('a syntax error at the offending character', () => {
    const source = "Invoice.Status == 'Posted' && && Invoice.Amount > 1";
    const [d] = condition(source);
    expect(d).toMatchObject({ code: 'SYNTAX', severity: 'error' });
    expect(at(source, d!)).toBe('&&');
    expect(d!.start).toBe(30);
  });

  it('an unknown field with a did-you-mean that fixes it', () => {
    const source = "Invoice.Stauts == 'Posted'";
    const [d] = condition(source);
    expect(d).toMatchObject({ code: 'UNKNOWN_FIELD', message: 'Invoice has no field named “Stauts”. Did you mean “Status”?' });
    expect(at(source, d!)).toBe('Stauts');
    expect(condition(applyFix(source, d!))).toEqual([]);
  });

  it('an unknown object, and a field written without its object', () => {
    expect(condition("Invoce.Status == 'Posted'")[0]).toMatchObject({ code: 'UNKNOWN_OBJECT', message: expect.stringContaining('Did you mean “Invoice”?') });
    const source = "Status == 'Posted'";
    const [d] = condition(source);
    expect(d!.message).toContain('Did you mean “Invoice.Status”?');
    expect(applyFix(source, d!)).toBe("Invoice.Status == 'Posted'");
  });

  it('names in any case resolve, with the canonical spelling offered', () => {
    const source = "PRODUCTRATEPLAN.EXTERNALSYSTEM__C == 'SAP' && invoice.status == 'Posted'";
    const diagnostics = condition(source);
    expect(diagnostics.map((d) => [d.code, d.severity, at(source, d), d.fixes[0]?.edits[0]?.text])).toEqual([
      ['NON_CANONICAL_NAME', 'info', 'PRODUCTRATEPLAN', 'ProductRatePlan'],
      ['NON_CANONICAL_NAME', 'info', 'EXTERNALSYSTEM__C', 'ExternalSystem__c'],
      ['NON_CANONICAL_NAME', 'info', 'invoice', 'Invoice'],
      ['NON_CANONICAL_NAME', 'info', 'status', 'Status'],
    ]);
  });

  it('_old on a related object is an error', () => {
    const source = "changeType == 'UPDATE' && Account.Name_old != Account.Name";
    const [d] = condition(source);
    expect(d).toMatchObject({ code: 'OLD_ON_RELATED_OBJECT', severity: 'error' });
    expect(at(source, d!)).toBe('Name_old');
  });

  it('_old where the condition does not require an UPDATE is a warning, fixed by requiring it', () => {
    const source = "Invoice.Status_old == 'Draft' && Invoice.Status == 'Posted'";
    const [d] = condition(source);
    expect(d).toMatchObject({ code: 'OLD_WITHOUT_UPDATE', severity: 'warning' });
    expect(at(source, d!)).toBe('Status_old');
    expect(applyFix(source, d!)).toBe("changeType == 'UPDATE' && (Invoice.Status_old == 'Draft' && Invoice.Status == 'Posted')");
    expect(condition(applyFix(source, d!))).toEqual([]);
    expect(condition("(changeType == 'INSERT' || changeType == 'UPDATE') && Invoice.Status_old == 'Draft'")[0]?.code).toBe('OLD_WITHOUT_UPDATE');
  });

  it('a number field compared with text, and the reverse', () => {
    const source = "Invoice.Amount > '1000' && Invoice.InvoiceNumber == 42";
    const diagnostics = condition(source);
    expect(diagnostics.map((d) => [d.code, at(source, d)])).toEqual([
      ['TYPE_MISMATCH', "'1000'"],
      ['TYPE_MISMATCH', '42'],
    ]);
    expect(diagnostics[0]!.message).toBe("Invoice.Amount is a number, but it is compared with the text '1000'.");
    expect(applyFix(source, diagnostics[0]!)).toBe("Invoice.Amount > 1000 && Invoice.InvoiceNumber == 42");
  });

  it('changeType and picklists compared with values they never have', () => {
    const source = "changeType == 'Update' && Invoice.Status == 'posted'";
    const diagnostics = condition(source);
    expect(diagnostics.map((d) => [d.code, d.severity, d.fixes[0]?.edits[0]?.text])).toEqual([
      ['UNKNOWN_VALUE', 'error', "'UPDATE'"],
      ['PICKLIST_CASE', 'warning', "'Posted'"],
    ]);
    expect(condition("Invoice.Status == 'Postd'")[0]).toMatchObject({ code: 'UNKNOWN_VALUE', message: expect.stringContaining('Did you mean “Posted”?') });
  });

  it('a text that differs from a picklist value only in case (==, !=, in), with a fix to the exact value', () => {
    const schema = { ...invoiceChanges, objects: withCustomFields(BILLING_OBJECTS, { ProductRatePlan: [{ name: 'Crm__c', type: 'string', description: 'CRM.', picklist: ['Salesforce', 'HubSpot'] }] }) };
    const source = `ProductRatePlan.Crm__c == 'SALESFORCE' || ProductRatePlan.Crm__c != "hubspot" || Invoice.Status in ['posted', 'Draft', 'CANCELED']`;
    const diagnostics = analyze(source, schema, { requireBoolean: true }).diagnostics;
    expect(diagnostics.map((d) => [d.code, d.severity, at(source, d), d.fixes[0]?.edits[0]?.text])).toEqual([
      ['PICKLIST_CASE', 'warning', "'SALESFORCE'", "'Salesforce'"],
      ['PICKLIST_CASE', 'warning', '"hubspot"', '"HubSpot"'],
      ['PICKLIST_CASE', 'warning', "'posted'", "'Posted'"],
      ['PICKLIST_CASE', 'warning', "'CANCELED'", "'Canceled'"],
    ]);
    expect(diagnostics[0]!.message).toBe('ProductRatePlan.Crm__c is “Salesforce”, not “SALESFORCE”: text is compared exactly, so a different case never matches.');
    expect(analyze(applyFix(source, diagnostics[0]!), schema).diagnostics.map((d) => d.start)).not.toContain(diagnostics[0]!.start);
    // Exact values, and texts that are no picklist value at all in a list, are left alone here.
    expect(condition("Invoice.Status in ['Posted', 'Draft'] && 'x' in Invoice.Comments")).toEqual([]);
  });

  it('unknown functions and wrong arity', () => {
    const source = "LOWER(Invoice.Status) == 'x' && upper(Invoice.Status, 2) == 'X' && sise(Account.Name) > 1";
    const diagnostics = condition(source);
    expect(diagnostics.map((d) => [d.code, at(source, d), d.fixes[0]?.edits[0]?.text])).toEqual([
      ['UNKNOWN_FUNCTION', 'LOWER', 'lower'],
      ['ARITY', 'upper(Invoice.Status, 2)', undefined],
      ['UNKNOWN_FUNCTION', 'sise', 'size'],
    ]);
    expect(diagnostics[1]!.message).toBe('upper takes 1 argument: upper(text); here it gets 2.');
  });

  it('a condition that is not true or false', () => {
    const [d] = condition('Invoice.Amount * 2');
    expect(d).toMatchObject({ code: 'NOT_BOOLEAN', start: 0, end: 18 });
    expect(analyze('Invoice.Amount * 2', invoiceChanges).diagnostics).toEqual([]);
  });

  it('typographic quotes pasted from a document: one diagnostic, one fix for all of them', () => {
    const source = 'changeType == ‘UPDATE’ && Invoice.Status == “Posted”';
    const diagnostics = condition(source);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ code: 'TYPOGRAPHIC_QUOTES', start: 14, end: 15 });
    const fixed = applyFix(source, diagnostics[0]!);
    expect(fixed).toBe(`changeType == 'UPDATE' && Invoice.Status == "Posted"`);
    expect(condition(fixed)).toEqual([]);
  });

  it('look-alike quotes outside text, such as a backtick, are typographic quotes too; inside text they are text', () => {
    const source = "Invoice.Status == `Posted` && Account.Name == 'Dunkin’ Donuts'";
    const diagnostics = condition(source);
    expect(diagnostics.map((d) => [d.code, d.start])).toEqual([['TYPOGRAPHIC_QUOTES', 18]]);
    expect(applyFix(source, diagnostics[0]!)).toBe("Invoice.Status == 'Posted' && Account.Name == 'Dunkin’ Donuts'");
  });

  it('invisible characters: an error where they break the condition, a warning inside text, at the character, with a fix', () => {
    const source = "Invoice.Sta\u200Btus == 'Posted' && Account.Name == 'ACME\u00A0Corp' && Invoice.Comments == 'a\u200Db'";
    const diagnostics = condition(source);
    expect(diagnostics.map((d) => [d.code, d.severity, d.start])).toEqual([
      ['INVISIBLE_CHARACTER', 'error', 11],
      ['INVISIBLE_CHARACTER', 'warning', source.indexOf('\u00A0')],
      ['INVISIBLE_CHARACTER', 'warning', source.indexOf('\u200D')],
    ]);
    expect(diagnostics[0]!.message).toContain('U+200B');
    expect(applyFix(source, diagnostics[1]!)).toContain("'ACME Corp'");
    // Analysis goes on as if the character were not there, and positions after it are still right.
    const later = condition("Invoice.Sta\u200Btus == 'Posted' && Invoice.Stauts == 'x'");
    expect(later.map((d) => [d.code, d.start, d.end])).toEqual([
      ['INVISIBLE_CHARACTER', 11, 12],
      ['UNKNOWN_FIELD', 39, 45],
    ]);
    const inName = condition("Invoice.Stat\u200Bs == 'Posted'")[0]!;
    expect([inName.code, inName.start, inName.end]).toEqual(['UNKNOWN_FIELD', 8, 14]);
    expect(condition('Invoice.Amount\u00A0> 1')).toMatchObject([{ code: 'INVISIBLE_CHARACTER', severity: 'info' }]);
  });

  it('a Cyrillic letter that looks Latin in a name is an error at that letter, with a fix', () => {
    const source = "Invoice.St\u0430tus == 'Posted' && Account.Name == '\u041e\u041e\u041e'";
    const diagnostics = condition(source);
    expect(diagnostics.map((d) => [d.code, d.start, d.fixes[0]?.edits[0]?.text])).toEqual([['LOOKALIKE_LETTER', 10, 'a']]);
    expect(condition(applyFix(source, diagnostics[0]!))).toEqual([]);
  });

  it('dangerous patterns and bad changed() arguments', () => {
    expect(condition("matches(Invoice.Comments, '(a+)\\1')")[0]?.code).toBe('BAD_PATTERN');
    expect(condition("matches(Invoice.Comments, '(a+)+$')")).toEqual([]);
    expect(condition("changed('Stauts')")[0]).toMatchObject({ code: 'CHANGED_ARGUMENT', message: expect.stringContaining('Did you mean “Status”?') });
    expect(analyze("changed('units')", usageEvent).diagnostics[0]?.code).toBe('CHANGED_ARGUMENT');
  });

  it('refuses a literal pattern that would be slow to match, at the counted repetition that makes it large', () => {
    // The 57-character pattern that took seconds on a 10,000-character text.
    const pattern = '(.{1,1000})(.{1,1000})(.{1,1000})(.{1,1000})(.{1,1000})\\d';
    const source = `matches(Invoice.Comments, '${pattern}')`;
    const [diagnostic, ...rest] = condition(source);
    expect(rest).toEqual([]);
    expect(diagnostic).toMatchObject({ code: 'BAD_PATTERN', severity: 'error', message: expect.stringContaining('too large to match quickly') });
    expect(source.slice(diagnostic!.start, diagnostic!.end)).toBe('{1,1000}');
    expect(diagnostic!.start).toBe(source.indexOf('{1,1000}'));

    // Positions count the source's escapes: \' is one character of the pattern.
    const escaped = "matches(Invoice.Comments, 'it\\'s (a{1,30}){1,30}')";
    const [nested] = condition(escaped);
    expect(escaped.slice(nested!.start, nested!.end)).toBe('{1,30}');
    expect(nested!.start).toBe(escaped.lastIndexOf('{1,30}')); // the outer one: lowering it helps most

    const long = `matches(Invoice.Comments, '${'a'.repeat(250)}')`;
    const [tooLong] = condition(long);
    expect(tooLong).toMatchObject({ code: 'BAD_PATTERN', message: 'The pattern is 250 characters long; the limit is 200.' });
    expect([tooLong!.start, tooLong!.end]).toEqual([long.indexOf("'") + 201, long.length - 2]);

    // Everyday patterns are well within the limits.
    for (const ok of ['^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$', '^INV-\\d{6}$', '(?i)^(gold|silver|bronze|platinum)$', '^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$']) {
      expect(condition(`matches(Invoice.Comments, '${ok}')`)).toEqual([]);
    }
  });

  it('event schemas: fields by name, with types', () => {
    const source = "units > '3' && custmerId == 'A' && billable";
    expect(analyze(source, usageEvent, { requireBoolean: true }).diagnostics.map((d) => [d.code, at(source, d)])).toEqual([
      ['TYPE_MISMATCH', "'3'"],
      ['UNKNOWN_FIELD', 'custmerId'],
    ]);
  });

  it('is fast enough for every keystroke: a 2 kB condition in a few milliseconds', () => {
    const part = "(Invoice.Status == 'Posted' && Invoice.Amount > 1000 && lower(Account.Name) != 'test') || ";
    const source = part.repeat(Math.ceil(2048 / part.length)) + 'false';
    analyze(source, invoiceChanges, { requireBoolean: true });
    const started = process.cpuUsage();
    for (let i = 0; i < 20; i++) analyze(source, invoiceChanges, { requireBoolean: true });
    expect(cpuMsSince(started) / 20).toBeLessThan(25);
  });
});
