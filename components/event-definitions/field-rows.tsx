'use client';

import { FieldError, fieldInvalid } from '@/components/ui/form-status';
import type { ActionResult } from '@/lib/actions/action-result';
import { INDEXED_HELP, notIndexableReason, retype, tooManyIndexed } from '@/components/event-definitions/indexed-field';
import { FIELD_TYPES, MAX_FIELDS, type DefinitionField, type FieldType } from '@/lib/event-definitions/definition-schema';
import styles from './definition-form.module.css';

/** A field being edited; `key` stays with the row while others are added or removed. */
export interface FieldRow extends DefinitionField {
  key: number;
}

interface FieldRowsProps {
  rows: FieldRow[];
  state: ActionResult<unknown> | null;
  /** Where a row stood when the form was last sent (-1: added since), since errors are keyed by that position. */
  sentIndex: (key: number) => number;
  onChange: (key: number, change: Partial<DefinitionField>) => void;
  onAdd: () => void;
  onRemove: (key: number) => void;
}

/** The fields table: one row per field with its name, type, required and indexed flags and description; errors under each control. */
export function FieldRows({ rows, state, sentIndex, onChange, onAdd, onRemove }: FieldRowsProps) {
  // The list's error about too many indexed fields also marks every ticked box, so focus lands on one to untick.
  const tooMany = fieldInvalid(state, 'fields') && tooManyIndexed(rows);
  return (
    <div className="field">
      <div className="table-wrap">
        <table className={styles.fields}>
          <caption className={styles.caption}>Fields</caption>
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Name</th>
              <th scope="col">Type</th>
              <th scope="col">Required</th>
              <th scope="col">Indexed</th>
              <th scope="col">Description</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row, i) => {
              const n = i + 1;
              const id = (part: string) => `field-${row.key}-${part}`;
              const sent = sentIndex(row.key);
              const path = (part: string) => (sent < 0 ? '' : `fields.${sent}.${part}`);
              const control = (part: string) => ({ id: id(part), 'data-field': path(part), 'aria-invalid': fieldInvalid(state, path(part)), 'aria-describedby': id(`${part}-error`) });
              return (
                <tr key={row.key}>
                  <td className="muted">{n}</td>
                  <td>
                    <Cell id={id('name')} label={`Field ${n} name`} state={state} field={path('name')}>
                      <input {...control('name')} value={row.name} maxLength={64} autoComplete="off" spellCheck={false} onChange={(e) => onChange(row.key, { name: e.target.value })} />
                    </Cell>
                  </td>
                  <td>
                    <Cell id={id('type')} label={`Field ${n} type`} state={state} field={path('type')}>
                      <select {...control('type')} value={row.type} onChange={(e) => onChange(row.key, retype(row, e.target.value as FieldType))}>
                        {FIELD_TYPES.map((type) => (
                          <option key={type} value={type}>
                            {type}
                          </option>
                        ))}
                      </select>
                    </Cell>
                  </td>
                  <td>
                    <Cell id={id('required')} label={`Field ${n} required`} state={state} field={path('required')}>
                      <input type="checkbox" {...control('required')} checked={row.required} onChange={(e) => onChange(row.key, { required: e.target.checked })} />
                    </Cell>
                  </td>
                  <td>
                    <IndexedCell row={row} n={n} control={control('indexed')} tooMany={tooMany} state={state} onChange={(indexed) => onChange(row.key, { indexed })} />
                  </td>
                  <td>
                    <Cell id={id('description')} label={`Field ${n} description`} state={state} field={path('description')}>
                      <input {...control('description')} value={row.description} maxLength={500} onChange={(e) => onChange(row.key, { description: e.target.value })} />
                    </Cell>
                  </td>
                  <td>
                    <button type="button" className="button secondary" aria-label={`Remove field ${n}`} onClick={() => onRemove(row.key)}>
                      Remove
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <FieldError id="fields-error" state={state} field="fields" />
      <p id="fields-indexed-hint" className="hint">
        {INDEXED_HELP}
      </p>
      <div>
        <button id="add-field" type="button" className="button secondary" onClick={onAdd} disabled={rows.length >= MAX_FIELDS} aria-describedby="fields-error">
          Add field
        </button>
      </div>
    </div>
  );
}

interface IndexedCellProps {
  row: FieldRow;
  n: number;
  control: { id: string; 'data-field': string; 'aria-invalid': boolean; 'aria-describedby': string };
  tooMany: boolean;
  state: ActionResult<unknown> | null;
  onChange: (indexed: boolean) => void;
}

/** The Indexed checkbox: disabled, saying why, for a type no filter index serves (json). */
function IndexedCell({ row, n, control, tooMany, state, onChange }: IndexedCellProps) {
  const reason = notIndexableReason(row.type);
  const checked = Boolean(row.indexed);
  const describedBy = [control['aria-describedby'], reason ? `${control.id}-reason` : null, tooMany && checked ? 'fields-error' : null, 'fields-indexed-hint'];
  return (
    <Cell id={control.id} label={`Field ${n} indexed`} state={state} field={control['data-field']}>
      <input
        type="checkbox"
        {...control}
        aria-invalid={control['aria-invalid'] || (tooMany && checked)}
        aria-describedby={describedBy.filter(Boolean).join(' ')}
        checked={checked}
        disabled={reason !== null}
        title={reason ?? undefined}
        onChange={(e) => onChange(e.target.checked)}
      />
      {reason ? (
        <span id={`${control.id}-reason`} className="sr-only">
          {reason}
        </span>
      ) : null}
    </Cell>
  );
}

/** One control of a row: labelled for assistive technology (the column header is the visible label), with its errors. */
function Cell({ id, label, state, field, children }: { id: string; label: string; state: ActionResult<unknown> | null; field: string; children: React.ReactNode }) {
  return (
    <div className="field">
      <label htmlFor={id} className="sr-only">
        {label}
      </label>
      {children}
      <FieldError id={`${id}-error`} state={state} field={field} />
    </div>
  );
}
