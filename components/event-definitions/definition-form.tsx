'use client';

import Link from 'next/link';
import { startTransition, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { useClearedOnEdit } from '@/components/ui/use-action-form';
import { useFocusFirstInvalid } from '@/components/ui/use-focus-first-invalid';
import { useWorkspaceActionState } from '@/components/ui/use-workspace-action-state';
import { createDefinitionAction, updateDefinitionAction } from '@/app/(console)/event-definitions/actions';
import { chosenRow } from '@/components/event-definitions/choose-field';
import { FieldRows, type FieldRow } from '@/components/event-definitions/field-rows';
import { FieldError, FormStatus, fieldInvalid } from '@/components/ui/form-status';
import { RefusalNote } from '@/components/ui/refusal-note';
import { TextField } from '@/components/ui/text-field';
import type { ActionResult } from '@/lib/actions/action-result';
import { definitionFieldErrors, EVENT_ID_TYPES, type DefinitionField } from '@/lib/event-definitions/definition-schema';
import styles from './definition-form.module.css';

/** A saved definition to edit; absent when creating one. */
export interface EditedDefinition {
  id: string;
  version: number;
  name: string;
  description: string;
  fields: DefinitionField[];
  eventIdField: string;
  eventTimeField: string;
  storeNames: string[];
}

// A new definition starts with the two fields every definition needs, already chosen below.
const STARTER_FIELDS: DefinitionField[] = [
  { name: '', type: 'string', required: true, description: '', indexed: false },
  { name: '', type: 'datetime', required: true, description: '', indexed: false },
];

/** Creates or edits an event definition; viewers see why they may not instead. */
export function DefinitionForm({ definition, refusal }: { definition?: EditedDefinition; refusal: string | null }) {
  if (refusal) return <RefusalNote message={refusal} />;
  return <DefinitionEditor definition={definition} />;
}

function DefinitionEditor({ definition }: { definition?: EditedDefinition }) {
  const [state, dispatch, pending] = useWorkspaceActionState(definition ? updateDefinitionAction : createDefinitionAction, null, {
    success: definition ? 'Event definition saved.' : 'Event definition created.',
  });
  const initialFields = definition?.fields ?? STARTER_FIELDS;
  const [name, setName] = useState(definition?.name ?? '');
  const [description, setDescription] = useState(definition?.description ?? '');
  const [rows, setRows] = useState<FieldRow[]>(() => initialFields.map((f, key) => ({ ...f, key })));
  // The id and time fields are chosen by row, so renaming the chosen row keeps it chosen.
  const [chosenKeys, setChosenKeys] = useState<Record<ChoiceField, number>>(() =>
    definition
      ? {
          eventIdField: initialFields.findIndex((f) => f.name === definition.eventIdField),
          eventTimeField: initialFields.findIndex((f) => f.name === definition.eventTimeField),
        }
      : { eventIdField: 0, eventTimeField: 1 },
  );
  const [localErrors, setLocalErrors] = useState<Record<string, string[]> | null>(null);
  // Errors name rows by their position when sent; rows added or removed since must not inherit them.
  const [sentKeys, setSentKeys] = useState<number[]>([]);
  const nextKey = useRef(initialFields.length);
  const focusAfterRender = useRef<string | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const hydrated = useSyncExternalStore(subscribeNever, () => true, () => false);

  // The same rules as the server run before sending, so most mistakes show without a round trip.
  const result = useMemo<ActionResult<unknown> | null>(
    () => (localErrors ? { ok: false, message: 'Some fields need attention.', fieldErrors: localErrors } : state),
    [localErrors, state],
  );
  useFocusFirstInvalid(formRef, result);
  // Editing a field hides its error (controls name their error key in data-field).
  const { shown, onChange } = useClearedOnEdit(result);
  useEffect(() => {
    if (focusAfterRender.current) document.getElementById(focusAfterRender.current)?.focus();
    focusAfterRender.current = null;
  }, [rows]);

  // A chosen row whose type no longer fits counts as no choice, until its type fits again; a lone fitting row is chosen.
  const chosen = (field: ChoiceField) => chosenRow(rows, chosenKeys[field], CHOICES[field].fits);
  // A row picked because it was the only one that fit stays picked when a second one arrives: it becomes the
  // choice (set during render, React's pattern for state derived from other state).
  for (const field of CHOICE_FIELDS) {
    const picked = chosen(field);
    if (picked && picked.key !== chosenKeys[field]) setChosenKeys((current) => ({ ...current, [field]: picked.key }));
  }

  function submit(event: React.FormEvent<HTMLFormElement>) {
    // Dispatched by hand rather than through the form's action: React resets a form after its action,
    // which throws controlled selects back to their first option.
    event.preventDefault();
    const input = {
      ...(definition ? { id: definition.id, expectedVersion: definition.version } : {}),
      name,
      description,
      fields: rows.map(({ key: _key, ...field }) => field),
      eventIdField: chosen('eventIdField')?.name.trim() ?? '',
      eventTimeField: chosen('eventTimeField')?.name.trim() ?? '',
    };
    const errors = definitionFieldErrors(input);
    setLocalErrors(errors);
    setSentKeys(rows.map((r) => r.key));
    if (!errors) startTransition(() => dispatch(input));
  }

  function addRow() {
    const key = nextKey.current++;
    focusAfterRender.current = `field-${key}-name`;
    setRows((current) => [...current, { key, name: '', type: 'string', required: false, description: '', indexed: false }]);
  }

  function removeRow(key: number) {
    const index = rows.findIndex((r) => r.key === key);
    const neighbour = rows[index + 1] ?? rows[index - 1];
    focusAfterRender.current = neighbour ? `field-${neighbour.key}-name` : 'add-field';
    setRows((current) => current.filter((r) => r.key !== key));
  }

  return (
    <form ref={formRef} onSubmit={submit} onChange={onChange} className={`form ${styles.form}`} aria-label={definition ? `Edit ${definition.name}` : 'New event definition'} noValidate>
      {definition?.storeNames.length ? (
        <p className="note">
          Used by {definition.storeNames.join(', ')}. Only changes that keep their stored events valid can be saved: add optional
          fields, edit descriptions, make fields optional, mark fields indexed. For anything else, create a new definition.
        </p>
      ) : null}
      <TextField id="definition-name" name="name" label="Name" required maxLength={80} placeholder="API Call" state={shown} keepValue={false} value={name} onChange={(e) => setName(e.target.value)} />
      <TextField id="definition-description" name="description" label="Description (optional)" maxLength={500} state={shown} keepValue={false} value={description} onChange={(e) => setDescription(e.target.value)} />
      <FieldRows rows={rows} state={shown} sentIndex={(key) => sentKeys.indexOf(key)} onAdd={addRow} onRemove={removeRow} onChange={(key, change) => setRows((current) => current.map((r) => (r.key === key ? { ...r, ...change } : r)))} />
      <div className={styles.pair}>
        {CHOICE_FIELDS.map((field) => (
          <ChoiceSelect
            key={field}
            field={field}
            rows={rows}
            chosen={chosen(field)?.key}
            onChoose={(key) => setChosenKeys((current) => ({ ...current, [field]: key }))}
            state={shown}
          />
        ))}
      </div>
      <FormStatus state={shown} />
      <div className={styles.buttons}>
        {/* Enabled once hydrated: before that a click would submit the form natively, without the fields. */}
        <button type="submit" className="button" disabled={pending || !hydrated}>
          {pending ? 'Saving…' : definition ? 'Save changes' : 'Create definition'}
        </button>
        <Link href="/event-definitions">Cancel</Link>
      </div>
    </form>
  );
}

const subscribeNever = () => () => undefined;

/** The two fields a definition must name, and which rows may be either. */
const CHOICES = {
  eventIdField: {
    id: 'definition-event-id',
    label: 'Event-id field',
    hint: 'A required string or integer field that identifies each event.',
    empty: 'No string or integer field yet',
    fits: (row: FieldRow) => EVENT_ID_TYPES.includes(row.type),
  },
  eventTimeField: {
    id: 'definition-event-time',
    label: 'Event-time field',
    hint: 'A required datetime field that says when each event happened. A store cannot be created from a definition without one.',
    empty: 'No datetime field yet',
    fits: (row: FieldRow) => row.type === 'datetime',
  },
};
type ChoiceField = keyof typeof CHOICES;
const CHOICE_FIELDS = Object.keys(CHOICES) as ChoiceField[];

interface ChoiceSelectProps {
  field: ChoiceField;
  rows: FieldRow[];
  chosen: number | undefined;
  onChoose: (key: number) => void;
  state: ActionResult<unknown> | null;
}

/** A select of the rows that may serve as the event-id or event-time field, named as they are typed. */
function ChoiceSelect({ field, rows, chosen, onChoose, state }: ChoiceSelectProps) {
  const { id, label, hint, empty, fits } = CHOICES[field];
  const choices = rows.flatMap((row, i) => (fits(row) ? [{ key: row.key, label: row.name.trim() || `Field ${i + 1} (no name yet)` }] : []));
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        data-field={field}
        value={chosen === undefined ? '' : String(chosen)}
        onChange={(e) => onChoose(Number(e.target.value))}
        aria-invalid={fieldInvalid(state, field)}
        aria-describedby={`${id}-hint ${id}-error`}
      >
        <option value="" disabled>
          {choices.length ? 'Choose a field…' : empty}
        </option>
        {choices.map((c) => (
          <option key={c.key} value={c.key}>
            {c.label}
          </option>
        ))}
      </select>
      <p id={`${id}-hint`} className="hint">
        {hint}
      </p>
      <FieldError id={`${id}-error`} state={state} field={field} />
    </div>
  );
}
