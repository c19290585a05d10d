import { describe, expect, it } from 'vitest';
import { BILLING_OBJECTS } from '@/lib/custom-events/object-model';
import { chain, meterContext, node } from '@/lib/meters/fixtures';
import type { MeterContext, MeterStoreInfo } from '@/lib/meters/kind-spec';
import { BUSINESS_EVENT_META_FIELDS, businessEventFlowSchema, businessEventRecord, type StoredBusinessEventForFlow } from '@/lib/meters/kinds/source-business-events';
import { analyzeMeter, validateMeter } from '@/lib/meters/validate';
import { previewMeter } from '@/lib/meters/preview';

const invoicePosted = { eventType: 'InvoicePosted', object: 'Invoice', active: true };
const withTypes = (...types: (typeof invoicePosted)[]): MeterContext => ({ ...meterContext(), eventTypes: new Map(types.map((t) => [t.eventType, t])) });
/** A graph from `nodes` into a webhook: a meter that needs nothing but its source's settings. */
const toHook = (...nodes: ReturnType<typeof node>[]) => chain([...nodes, node('hook', 'target.webhook', { url: 'https://hooks.example.com/be', batchSize: 100 })]);
const source = (eventType: string, label = '') => node('be', 'source.businessEvents', { eventType }, label);

/** A store shaped for posted invoices: what a Business Events source maps onto. */
const postedInvoices: MeterStoreInfo = {
  id: 'store-posted',
  name: 'posted-invoices',
  definition: {
    id: 'def-posted',
    name: 'Posted invoice',
    version: 1,
    fields: [
      { name: 'id', type: 'string', required: true },
      { name: 'at', type: 'datetime', required: true },
      { name: 'account', type: 'string', required: true },
      { name: 'amount', type: 'number', required: false },
      { name: 'due', type: 'datetime', required: false },
    ],
    eventIdField: 'id',
    eventTimeField: 'at',
  },
};

const stored = (over: Partial<StoredBusinessEventForFlow> = {}): StoredBusinessEventForFlow => ({
  id: '0b0d6a7e-1111-4222-8333-444455556666',
  eventType: 'InvoicePosted',
  triggerVersion: 3,
  object: 'Invoice',
  recordId: 'INV-1',
  changeType: 'UPDATE',
  changedFields: ['Status'],
  changedAt: new Date('2026-11-30T09:15:00.000Z'),
  processedAt: new Date('2026-11-30T09:15:01.250Z'),
  current: { Status: 'Posted', Amount: 120.5, AccountId: 'A-1', DueDate: '2026-12-30', UpdatedDate: '2026-11-30T10:15:00+01:00' },
  previous: { Status: 'Draft' },
  ...over,
});

describe('Business Events source: validation', () => {
  it('asks for an event type, saying how to make one when the workspace has none', () => {
    const [none] = validateMeter(toHook(source('')), withTypes());
    expect(none).toMatchObject({ code: 'CONFIG_INVALID', nodeIds: ['be'], configPath: ['eventType'] });
    expect(none!.message).toBe('Business Events source: choose a business event type; this workspace has none yet: create a trigger under Custom events → Triggers first.');
    const [some] = validateMeter(toHook(source('')), withTypes(invoicePosted));
    expect(some!.message).toBe('Business Events source: choose a business event type.');
  });

  it('refuses an event type no trigger of the workspace makes, with the closest ones', () => {
    const problems = validateMeter(toHook(source('InvoicePostd', 'Posted')), withTypes(invoicePosted));
    expect(problems).toEqual([
      {
        code: 'EVENT_TYPE_NOT_FOUND',
        severity: 'error',
        nodeIds: ['be'],
        edgeIds: [],
        configPath: ['eventType'],
        message: 'Business Events source “Posted”: there is no such event type “InvoicePostd” in this workspace (no trigger makes it). Did you mean InvoicePosted? Choose one from the list.',
      },
    ]);
    // A context without event types (nobody loaded them) knows none.
    expect(validateMeter(toHook(source('InvoicePosted')), meterContext()).map((p) => p.code)).toEqual(['EVENT_TYPE_NOT_FOUND']);
  });

  it('refuses a config that is not text, at its field', () => {
    const problems = validateMeter(toHook(node('be', 'source.businessEvents', { eventType: 42 })), withTypes(invoicePosted));
    expect(problems.map((p) => [p.code, p.configPath])).toEqual([['CONFIG_INVALID', ['eventType']]]);
  });

  it('accepts a meter from a known type through Filter and Map into an Event Store target, typed by the object model', () => {
    const graph = chain([
      source('InvoicePosted'),
      node('f', 'processor.filter', { condition: "changeType == 'UPDATE' && Status_old != 'Posted' && Amount > 0" }),
      node('t', 'target.eventStore', { storeId: postedInvoices.id, mapping: { id: 'eventId', at: 'time', account: 'AccountId', amount: 'Amount', due: 'DueDate' } }),
    ]);
    const context = { ...withTypes(invoicePosted), stores: new Map([[postedInvoices.id, postedInvoices]]) };
    expect(validateMeter(graph, context)).toEqual([]);
    const bad = chain([source('InvoicePosted'), node('t', 'target.eventStore', { storeId: postedInvoices.id, mapping: { id: 'eventId', at: 'time', account: 'Amount' } })]);
    expect(validateMeter(bad, context).map((p) => p.code)).toEqual(['MAPPING_TYPE']);
  });
});

describe('Business Events source: schema and records', () => {
  it('has the metadata, then the object’s fields and their _old values; dates become datetimes', () => {
    const { fields } = businessEventFlowSchema('Invoice');
    expect(fields.slice(0, 9).map((f) => [f.name, f.type, f.required])).toEqual([
      ['eventId', 'string', true],
      ['eventType', 'string', true],
      ['object', 'string', true],
      ['recordId', 'string', true],
      ['changeType', 'string', true],
      ['changedFields', 'json', true],
      ['time', 'datetime', true],
      ['processedAt', 'datetime', true],
      ['triggerVersion', 'integer', true],
    ]);
    const byName = new Map(fields.map((f) => [f.name, f]));
    expect(byName.get('Amount')).toMatchObject({ type: 'number', required: false });
    expect(byName.get('Amount_old')).toMatchObject({ type: 'number', required: false });
    expect(byName.get('DueDate')!.type).toBe('datetime');
    const invoice = BILLING_OBJECTS.find((o) => o.name === 'Invoice')!;
    expect(fields).toHaveLength(9 + 2 * invoice.fields.length);
    expect(analyzeMeter(chain([source('InvoicePosted')]), withTypes(invoicePosted)).schemas.be!.output).toEqual(businessEventFlowSchema('Invoice'));
  });

  it('no built-in object field (or its _old) clashes with a metadata field, and every name is a valid flow field name', () => {
    const meta = new Set(BUSINESS_EVENT_META_FIELDS.map((f) => f.name.toLowerCase()));
    for (const object of BILLING_OBJECTS) {
      const { fields } = businessEventFlowSchema(object.name);
      expect(fields, object.name).toHaveLength(9 + 2 * object.fields.length);
      expect(new Set(fields.map((f) => f.name.toLowerCase())).size, object.name).toBe(fields.length);
      for (const f of fields) expect(f.name, object.name).toMatch(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/);
      expect(object.fields.filter((f) => meta.has(f.name.toLowerCase()))).toEqual([]);
    }
  });

  it('makes one flat record per event: every field present, missing values null, dates at midnight UTC, datetimes in UTC', () => {
    const record = businessEventRecord(stored(), 'Invoice');
    expect(record).toMatchObject({
      eventId: '0b0d6a7e-1111-4222-8333-444455556666',
      eventType: 'InvoicePosted',
      object: 'Invoice',
      recordId: 'INV-1',
      changeType: 'UPDATE',
      changedFields: ['Status'],
      time: '2026-11-30T09:15:00.000Z',
      processedAt: '2026-11-30T09:15:01.250Z',
      triggerVersion: 3,
      Status: 'Posted',
      Status_old: 'Draft',
      Amount: 120.5,
      Amount_old: null,
      DueDate: '2026-12-30T00:00:00.000Z',
      UpdatedDate: '2026-11-30T09:15:00.000Z',
    });
    expect(Object.keys(record)).toEqual(businessEventFlowSchema('Invoice').fields.map((f) => f.name));
    const deleted = businessEventRecord(stored({ changeType: 'DELETE', changedFields: [], current: {}, previous: { Status: 'Posted' } }), 'Invoice');
    expect([deleted.Status, deleted.Status_old]).toEqual([null, 'Posted']);
  });

  it('previews: the records pass Filter and Map like any flow', () => {
    const graph = toHook(source('InvoicePosted'), node('f', 'processor.filter', { condition: 'Amount > 100' }), node('m', 'processor.map', { keep: 'listed', fields: [{ name: 'net', expression: 'Amount * 2' }], drop: [], rename: [{ from: 'AccountId', to: 'account' }] }));
    const samples = { be: [businessEventRecord(stored(), 'Invoice'), businessEventRecord(stored({ id: 'e2', current: { Amount: 5 } }), 'Invoice')] };
    const preview = previewMeter(graph, withTypes(invoicePosted), samples);
    expect(preview.problems).toEqual([]);
    expect(preview.nodes.m!.rows).toEqual([{ net: 241, account: 'A-1' }]);
  });
});
