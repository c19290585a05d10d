import { describe, expect, it } from 'vitest';
import { maskConnection, replicationNames, withPassword } from '@/lib/custom-events/connectors/connector-schema';
import { bigIntToLsn, lsnToBigInt, normalLsn } from '@/lib/custom-events/connectors/lsn';
import { mappingText, parseMappingText, resolveMappings, rowToFields, toFieldValue } from '@/lib/custom-events/connectors/mappings';
import { BILLING_OBJECTS, findField, findObject } from '@/lib/custom-events/object-model';

const invoice = findObject(BILLING_OBJECTS, 'Invoice')!;
const TABLES = new Map([
  ['public.invoices', ['id', 'invoice_number', 'status', 'total', 'due_date', 'internal_flag']],
  ['billing.accounts', ['account_key', 'name']],
]);

describe('connector mappings', () => {
  it('reads one table per line, with public as the default schema and optional column = Field pairs', () => {
    const { lines, errors } = parseMappingText('invoices -> Invoice: total = Amount\n# a comment\n\nbilling.accounts → Account: account_key = Id');
    expect(errors).toEqual([]);
    expect(lines).toEqual([
      { line: 1, table: 'public.invoices', object: 'Invoice', explicit: { total: 'Amount' } },
      { line: 4, table: 'billing.accounts', object: 'Account', explicit: { account_key: 'Id' } },
    ]);
  });

  it('names the line of each problem in the text', () => {
    expect(parseMappingText('invoices Invoice\ninvoices -> Invoice: total Amount\ninvoices -> Invoice\ninvoices -> Invoice').errors).toEqual([
      'Line 1: write “table -> Object”, optionally followed by “: column = Field, …” (e.g. public.invoices -> Invoice: total = Amount).',
      'Line 2: “total Amount” is not “column = Field” (e.g. total = Amount).',
      'Line 3: public.invoices is mapped twice; map each table once.',
      'Line 4: public.invoices is mapped twice; map each table once.',
    ]);
    expect(parseMappingText('  ').errors).toEqual(['Map at least one table, e.g. public.invoices -> Invoice: total = Amount.']);
  });

  it('maps unnamed columns to the field of the same name ignoring case and underscores, and lists every mapped column', () => {
    const { mappings, errors } = resolveMappings(parseMappingText('invoices -> invoice: total = Amount').lines, TABLES);
    expect(errors).toEqual([]);
    expect(mappings).toEqual([{ table: 'public.invoices', object: 'Invoice', columns: { total: 'Amount', id: 'Id', invoice_number: 'InvoiceNumber', status: 'Status', due_date: 'DueDate' } }]);
    expect(mappingText(mappings)).toBe('public.invoices -> Invoice: total = Amount, id = Id, invoice_number = InvoiceNumber, status = Status, due_date = DueDate');
  });

  it('answers unknown objects, tables, columns and fields with the closest names, and asks for the record id', () => {
    const { errors } = resolveMappings(
      parseMappingText('payments -> Invoce\ninvoice -> Invoice\ninvoices -> Invoice: totl = Amount, total = Amout\nbilling.accounts -> Account').lines,
      TABLES,
    );
    expect(errors).toEqual([
      'Line 1: there is no billing object “Invoce”. Did you mean Invoice?',
      'Line 2: the source has no table public.invoice. Did you mean public.invoices?',
      'Line 3: public.invoices has no column “totl”. Did you mean total?',
      'Line 3: Invoice has no field “Amout”. Did you mean Amount?',
      'Line 4: no column of billing.accounts maps to Account.Id, the record id; add “: <column> = Id” (its columns: account_key, name).',
    ]);
  });

  it('turns source values into field values: numeric text to numbers, dates to days, timestamps to ISO, absent columns left out', () => {
    const mapping = { table: 'public.invoices', object: 'Invoice', columns: { id: 'Id', total: 'Amount', due_date: 'DueDate', posted: 'PostedDate', status: 'Status', erp: 'SyncedToErp__c' } };
    const row = { id: 42, total: '1500.50', due_date: new Date(2026, 11, 31), posted: new Date('2026-11-30T09:15:00Z'), erp: 't' };
    expect(rowToFields(mapping, row, invoice)).toEqual({ Id: '42', Amount: 1500.5, DueDate: '2026-12-31', PostedDate: '2026-11-30T09:15:00.000Z', SyncedToErp__c: true });
    expect(toFieldValue(null, findField(invoice, 'Amount')!)).toBeNull();
    expect(toFieldValue('abc', findField(invoice, 'Amount')!)).toBe('abc'); // left for the change check to refuse by name
    expect(toFieldValue({ a: 1 }, findField(invoice, 'Comments')!)).toBe('{"a":1}');
  });
});

describe('LSNs, names and the connection string', () => {
  it('compares LSNs as numbers, whichever way they are written', () => {
    expect(lsnToBigInt('0/1541FD0')).toBe(lsnToBigInt('00000000/01541FD0'));
    expect(lsnToBigInt('1/0') > lsnToBigInt('0/FFFFFFFF')).toBe(true);
    expect(bigIntToLsn(lsnToBigInt('16/B374D848'))).toBe('16/B374D848');
    expect(normalLsn('00000000/01541FD0')).toBe('0/1541FD0');
    expect(() => lsnToBigInt('nope')).toThrow();
  });

  it('never shows the password; puts a separately given one in; derives slot names from the id', () => {
    expect(maskConnection('postgresql://rep:s3cret@db.example:5432/billing?sslmode=require')).toBe('postgresql://rep:••••••@db.example:5432/billing');
    expect(withPassword('postgresql://rep@db:5432/billing', 'p@ss word')).toBe('postgresql://rep:p%40ss%20word@db:5432/billing');
    expect(replicationNames('0193b0c2-7e2a-7cc1-9a51-0123456789ab')).toEqual({ publication: 'um_cdc_0193b0c27e2a7cc19a510123456789ab', slot: 'um_cdc_0193b0c27e2a7cc19a510123456789ab' });
  });
});
