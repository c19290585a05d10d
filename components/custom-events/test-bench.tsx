'use client';

import { useMemo, useState } from 'react';
import { ExplainTree } from '@/components/custom-events/explain-tree';
import { contextOf, defaultValues, formatInput, parseInput, type ChangeType, type TriggerSample } from '@/components/custom-events/test-bench-model';
import { explain, type ExplainNode } from '@/lib/expressions/explain';
import { ExpressionSyntaxError } from '@/lib/expressions/ast';
import { baseObjectOf, type ObjectChangeSchema, type SchemaField } from '@/lib/expressions/schema';

const CHANGE_TYPES: ChangeType[] = ['INSERT', 'UPDATE', 'DELETE'];

export interface TestBenchProps {
  schema: ObjectChangeSchema;
  condition: string;
  samples: TriggerSample[];
  onSamplesChange: (samples: TriggerSample[]) => void;
}

type Outcome = { ok: true; tree: ExplainNode } | { ok: false; message: string };

/**
 * Try a condition on a made-up change: pick INSERT, UPDATE or DELETE, set current and previous values
 * (or paste the change as JSON), and Run shows true or false with every part's value. Saved samples stay
 * with the trigger as regression cases; "Run all" checks each against the result it was saved with.
 */
export function TestBench({ schema, condition, samples, onSamplesChange }: TestBenchProps) {
  const base = baseObjectOf(schema);
  const [changeType, setChangeType] = useState<ChangeType>('UPDATE');
  const [current, setCurrent] = useState(() => defaultValues(base));
  const [previous, setPrevious] = useState(() => defaultValues(base));
  const [showAll, setShowAll] = useState(false);
  const [json, setJson] = useState('');
  const [pasted, setPasted] = useState<Record<string, unknown> | null>(null);
  const [jsonError, setJsonError] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [sampleName, setSampleName] = useState('');
  const [checks, setChecks] = useState<Record<string, boolean | string>>({});

  const used = useMemo(() => fieldsUsed(condition, base?.fields ?? []), [condition, base]);
  const fields = showAll ? (base?.fields ?? []) : (base?.fields ?? []).filter((f) => used.has(f.name));
  const context = pasted ?? contextOf(schema, { changeType, current, previous });

  const evaluate = (ctx: unknown): Outcome => {
    try {
      return { ok: true, tree: explain(condition, ctx, schema) };
    } catch (error) {
      return { ok: false, message: error instanceof ExpressionSyntaxError ? `The condition has an error: ${error.message}` : (error as Error).message };
    }
  };

  const usePasted = () => {
    try {
      const parsed = JSON.parse(json);
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('Paste one JSON object, e.g. {"changeType": "UPDATE", "Invoice": {…}}.');
      setPasted(parsed);
      setJsonError(null);
    } catch (error) {
      setJsonError(error instanceof SyntaxError ? `Not valid JSON: ${error.message}` : (error as Error).message);
    }
  };

  const saveSample = () => {
    const name = sampleName.trim() || `${changeType.toLowerCase()} ${samples.length + 1}`;
    const result = evaluate(contextOf(schema, { changeType, current, previous }));
    const expected = result.ok ? Boolean(result.tree.truthy) : undefined;
    onSamplesChange([...samples.filter((s) => s.name !== name), { name, changeType, current, previous, expected }]);
    setSampleName('');
  };

  const runAll = () => {
    const out: Record<string, boolean | string> = {};
    for (const sample of samples) {
      const result = evaluate(contextOf(schema, sample));
      out[sample.name] = result.ok ? (sample.expected === undefined ? true : Boolean(result.tree.truthy) === sample.expected) : result.message;
    }
    setChecks(out);
  };

  const run = () => {
    if (condition.trim()) setOutcome(evaluate(context));
  };

  // The bench sits inside the trigger's form: Enter in one of its boxes must run the bench (or save the
  // sample), never submit and save the whole trigger.
  const onKeyDown = (e: React.KeyboardEvent<HTMLElement>) => {
    const target = e.target as HTMLElement;
    if (e.key !== 'Enter' || target.tagName !== 'INPUT' || (target as HTMLInputElement).type === 'checkbox') return;
    e.preventDefault();
    if (target.id !== 'sample-name') run();
    else if (condition.trim()) saveSample();
  };
  const replacing = samples.some((s) => s.name === sampleName.trim());
  const checked = Object.values(checks);

  return (
    <section className="card test-bench" aria-labelledby="bench-title" onKeyDown={onKeyDown}>
      <h2 id="bench-title">Test bench</h2>
      <fieldset className="change-types">
        <legend>Change type</legend>
        {CHANGE_TYPES.map((type) => (
          <label key={type} className="radio">
            <input type="radio" name="bench-change-type" value={type} checked={changeType === type} onChange={() => setChangeType(type)} /> {type}
          </label>
        ))}
      </fieldset>
      <p className="hint">
        {changeType === 'INSERT' ? 'On INSERT every previous (_old) value is null.' : changeType === 'DELETE' ? 'On DELETE the fields hold the last values, and _old equals them.' : 'On UPDATE, previous values are what the fields held before the change.'}
      </p>
      <div className="table-wrap">
        <table>
          <caption className="sr-only">{base?.name} values for the test</caption>
          <thead>
            <tr>
              <th scope="col">Field</th>
              <th scope="col">Current value</th>
              <th scope="col">Previous value (_old)</th>
            </tr>
          </thead>
          <tbody>
            {fields.map((field) => (
              <tr key={field.name}>
                <th scope="row">
                  <code>{field.name}</code> <span className="muted small">{field.type}</span>
                </th>
                <td>
                  <ValueInput field={field} label={`${field.name} (current)`} value={current[field.name]} onChange={(v) => setCurrent({ ...current, [field.name]: v })} />
                </td>
                <td>
                  <ValueInput
                    field={field}
                    label={`${field.name} (previous)`}
                    value={changeType === 'UPDATE' ? previous[field.name] : changeType === 'DELETE' ? current[field.name] : null}
                    disabled={changeType !== 'UPDATE'}
                    onChange={(v) => setPrevious({ ...previous, [field.name]: v })}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <button type="button" className="button secondary" onClick={() => setShowAll(!showAll)}>
        {showAll ? 'Show only fields the condition uses' : `Show all ${base?.fields.length ?? 0} fields`}
      </button>
      <details className="paste-json">
        <summary>Paste a change as JSON instead</summary>
        <textarea aria-label="Change as JSON" rows={5} value={json} onChange={(e) => setJson(e.target.value)} placeholder={`{"changeType": "UPDATE", "${base?.name}": {"Status": "Posted", "Status_old": "Draft"}}`} />
        <div className="actions-row">
          <button type="button" className="button secondary" onClick={usePasted}>
            Use this JSON
          </button>
          {pasted ? (
            <button type="button" className="button secondary" onClick={() => setPasted(null)}>
              Back to the fields
            </button>
          ) : null}
        </div>
        {jsonError ? (
          <p role="alert" className="field-error">
            {jsonError}
          </p>
        ) : null}
      </details>
      <div className="actions-row">
        <button type="button" className="button" onClick={run} disabled={!condition.trim()}>
          Run
        </button>
        {pasted ? <span className="muted small">Running the pasted JSON.</span> : null}
      </div>
      <div aria-live="polite">
        {outcome ? (
          outcome.ok ? (
            <div className={`bench-result ${outcome.tree.truthy ? 'ok' : 'no'}`}>
              <p role="status">
                Result: <strong>{outcome.tree.truthy ? 'true' : 'false'}</strong> — {outcome.tree.truthy ? 'the trigger fires for this change.' : 'the trigger does not fire for this change.'}
              </p>
              <ExplainTree node={outcome.tree} />
            </div>
          ) : (
            <p role="alert" className="form-status error">
              {outcome.message}
            </p>
          )
        ) : null}
      </div>
      <section aria-labelledby="samples-title" className="samples">
        <h3 id="samples-title">Saved samples</h3>
        <p className="hint">Samples are saved with the trigger, each with the result it gave; Run all checks they still give it.</p>
        <div className="actions-row">
          <label htmlFor="sample-name" className="sr-only">
            Sample name
          </label>
          <input id="sample-name" placeholder="Sample name, e.g. posted over 1000" value={sampleName} onChange={(e) => setSampleName(e.target.value)} aria-describedby={replacing ? 'sample-replace-hint' : undefined} />
          <button type="button" className="button secondary" onClick={saveSample} disabled={!condition.trim()}>
            {replacing ? 'Replace sample' : 'Save as sample'}
          </button>
          {samples.length ? (
            <button type="button" className="button secondary" onClick={runAll}>
              Run all samples
            </button>
          ) : null}
        </div>
        {replacing ? (
          <p id="sample-replace-hint" className="hint">
            A sample named “{sampleName.trim()}” exists; saving replaces it.
          </p>
        ) : null}
        <p role="status" className={checked.length ? 'small' : 'sr-only'}>
          {checked.length ? `${checked.filter((c) => c === true).length} of ${checked.length} samples pass.` : ''}
        </p>
        {samples.length ? (
          <ul className="sample-list">
            {samples.map((sample) => (
              <li key={sample.name}>
                <strong>{sample.name}</strong> <span className="muted small">{sample.changeType}, expects {sample.expected === undefined ? '—' : String(sample.expected)}</span>{' '}
                {sample.name in checks ? <span className={checks[sample.name] === true ? 'check-pass' : 'check-fail'}>{checks[sample.name] === true ? 'passes' : typeof checks[sample.name] === 'string' ? checks[sample.name] : 'fails'}</span> : null}{' '}
                <button
                  type="button"
                  className="link-button"
                  onClick={() => {
                    setChangeType(sample.changeType);
                    setCurrent({ ...defaultValues(base), ...sample.current });
                    setPrevious({ ...defaultValues(base), ...sample.previous });
                    setPasted(null);
                  }}
                  aria-label={`Load sample ${sample.name}`}
                >
                  Load
                </button>{' '}
                <button type="button" className="link-button" onClick={() => onSamplesChange(samples.filter((s) => s !== sample))} aria-label={`Remove sample ${sample.name}`}>
                  Remove
                </button>
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted small">No samples yet.</p>
        )}
      </section>
    </section>
  );
}

function ValueInput({ field, label, value, onChange, disabled }: { field: SchemaField; label: string; value: unknown; onChange: (v: unknown) => void; disabled?: boolean }) {
  if (field.picklist?.length || field.type === 'boolean') {
    const options = field.picklist ?? ['true', 'false'];
    return (
      <select aria-label={label} value={formatInput(value)} disabled={disabled} onChange={(e) => onChange(parseInput(field, e.target.value))}>
        <option value="">(null)</option>
        {options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    );
  }
  const numeric = field.type === 'number' || field.type === 'integer';
  return (
    <input
      aria-label={label}
      type={numeric ? 'number' : 'text'}
      step={field.type === 'integer' ? 1 : 'any'}
      value={formatInput(value)}
      disabled={disabled}
      placeholder={disabled ? '(set by the change type)' : '(null)'}
      onChange={(e) => onChange(parseInput(field, e.target.value))}
    />
  );
}

/** Base-object fields the condition mentions (any case, with or without _old, or in changed('…')). */
function fieldsUsed(condition: string, fields: readonly SchemaField[]): Set<string> {
  const words = new Set((condition.match(/[A-Za-z_$][\w$]*/g) ?? []).map((w) => w.toLowerCase().replace(/_old$/, '')));
  return new Set(fields.filter((f) => words.has(f.name.toLowerCase())).map((f) => f.name));
}
