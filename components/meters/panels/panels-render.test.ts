import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { PANELS, type PanelProps } from '@/components/meters/panels';
import { problemsAt } from '@/components/meters/panels/problems-at';
import { specOf } from '@/lib/meters/kinds';
import { NODE_KINDS, type NodeKind } from '@/lib/meters/graph';
import type { MeterStoreInfo } from '@/lib/meters/kind-spec';
import type { MeterProblem } from '@/lib/meters/problems';

// Server-rendered (no DOM here): what each panel shows, its labels, its problems and its read-only form.
// Typing, blur commits and the inline store run end to end through the canvas (e2e/meter-panels.spec.ts).

const store: MeterStoreInfo = {
  id: 'st1',
  name: 'api-calls',
  definition: {
    id: 'd1',
    name: 'API Call',
    version: 1,
    eventIdField: 'id',
    eventTimeField: 'at',
    fields: [
      { name: 'id', type: 'string', required: true },
      { name: 'at', type: 'datetime', required: true },
      { name: 'units', type: 'integer', required: false },
    ],
  },
};
const input = { fields: [{ name: 'id', type: 'string' as const, required: true }, { name: 'at', type: 'datetime' as const, required: true }, { name: 'units', type: 'integer' as const, required: false }] };

const CONFIGS: Record<NodeKind, unknown> = {
  'source.eventStore': { storeId: 'st1' },
  'source.fileUpload': { fileName: 'usage.csv', format: 'csv', fields: input.fields },
  'source.httpIngest': { fields: input.fields },
  'source.businessEvents': { eventType: 'InvoicePosted' },
  'processor.filter': { condition: 'units > 10' },
  'processor.map': { keep: 'all', fields: [{ name: 'double', expression: 'units * 2' }], drop: ['id'], rename: [{ from: 'at', to: 'time' }] },
  'processor.deduplicate': { keys: ['id'], timeField: 'at', window: { amount: 1, unit: 'hour' } },
  'processor.aggregate': { groupBy: ['id'], timeField: 'at', window: { amount: 1, unit: 'month' }, timeZone: 'UTC', measures: [{ name: 'total', fn: 'sum', field: 'units' }] },
  'target.eventStore': { storeId: 'st1', mapping: { id: 'id' } },
  'target.usageRecords': { mapping: { quantity: 'units' } },
  'target.webhook': { url: 'https://example.com/hook', batchSize: 100 },
};

/** One label each panel must show (getByLabel finds it). */
const LABELS: Record<NodeKind, string> = {
  'source.eventStore': 'Event store',
  'source.fileUpload': 'Field 3 type',
  'source.httpIngest': 'Field 1 name',
  'source.businessEvents': 'Business event type',
  'processor.filter': 'Condition',
  'processor.map': 'Field 1 expression',
  'processor.deduplicate': 'Window unit',
  'processor.aggregate': 'Measure 1 function',
  'target.eventStore': 'Mapping of units',
  'target.usageRecords': 'Mapping of startDateTime',
  'target.webhook': 'Batch size',
};

function render(kind: NodeKind, overrides: Partial<PanelProps> = {}) {
  const props: PanelProps = {
    node: { id: 'n1', kind, label: '', position: { x: 0, y: 0 }, config: CONFIGS[kind] },
    config: CONFIGS[kind],
    onChange: () => undefined,
    input: kind.startsWith('source.') ? { fields: [] } : input,
    output: input,
    context: { stores: new Map([[store.id, store]]), eventTypes: new Map([['InvoicePosted', { eventType: 'InvoicePosted', object: 'Invoice', active: true }]]) },
    problems: [],
    editable: true,
    meterId: 'm1',
    ...overrides,
  };
  return renderToStaticMarkup(createElement(PANELS[kind], props));
}

const problem = (configPath: (string | number)[], message: string): MeterProblem => ({ code: 'CONFIG_INVALID', severity: 'error', nodeIds: ['n1'], edgeIds: [], message, configPath });

describe('PANELS', () => {
  it.each(NODE_KINDS.map((kind) => [kind]))('%s renders its settings with labelled controls', (kind) => {
    expect(render(kind)).toContain(`>${LABELS[kind]}<`);
  });

  it.each(NODE_KINDS.map((kind) => [kind]))('%s renders its default (empty) settings, with nothing connected', (kind) => {
    const config = specOf(kind).defaultConfig();
    expect(render(kind, { config, input: { fields: [] }, output: { fields: [] }, context: { stores: new Map() } })).toContain('<');
  });

  it('shows a problem at its field, marks the control invalid and links the message to it', () => {
    const html = render('target.webhook', { problems: [problem(['url'], 'Webhook: enter an https:// URL.')] });
    expect(html).toMatch(/<input id="cfg-n1-url"[^>]*aria-invalid="true"[^>]*aria-describedby="[^"]*cfg-n1-url-error/);
    expect(html).toContain('<p id="cfg-n1-url-error" class="field-error">Webhook: enter an https:// URL.</p>');
  });

  it('shows mapping problems on their row and the event-time badge on the store’s event-time field', () => {
    const html = render('target.eventStore', { problems: [problem(['mapping', 'at'], 'the event time “at” is not mapped.')] });
    expect(html).toContain('id="cfg-n1-mapping-at-error"');
    expect(html).toMatch(/at<span[^>]*>event time<\/span>/);
  });

  it('read-only: no control is enabled and nothing can be added, removed or created', () => {
    for (const kind of NODE_KINDS) {
      const html = render(kind, { editable: false });
      expect(html, kind).not.toMatch(/<(input|button|textarea)(?![^>]*disabled)[^>]*>/);
      expect(html, kind).not.toMatch(/Add (field|measure|rename)|Create a store|Suggest mapping|Remove /);
    }
  });

  it('Business Events source lists the fields of its events, or says how to make a type when there is none', () => {
    expect(render('source.businessEvents')).toContain('aria-label="Fields of each event"');
    const empty = render('source.businessEvents', { context: { stores: new Map() } });
    expect(empty).toContain('No business event types yet');
    expect(empty).toContain('<a href="/custom-events/triggers/new">Create a trigger</a>');
  });

  it('HTTP ingest shows the meter’s endpoint, or says to save first', () => {
    expect(render('source.httpIngest')).toContain('POST /api/v1/meters/m1/events');
    expect(render('source.httpIngest', { meterId: undefined })).toContain('Save the meter to get its endpoint.');
  });
});

describe('problemsAt', () => {
  it('takes the problems at a path and inside it, comparing indexes as text', () => {
    const problems = [problem(['measures', 0, 'field'], 'a'), problem(['measures', 1], 'b'), problem(['measuresX'], 'c')];
    expect(problemsAt(problems, ['measures', '0']).map((p) => p.message)).toEqual(['a']);
    expect(problemsAt(problems, ['measures']).map((p) => p.message)).toEqual(['a', 'b']);
  });
});
