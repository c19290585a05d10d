'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { createStoreAction } from '@/app/(console)/event-stores/actions';
import { createStoreWithDefinitionAction } from '@/app/(console)/meters/inline-actions';
import { useRenderedWorkspace } from '@/components/ui/use-workspace-action-state';
import type { ActionResult } from '@/lib/actions/action-result';
import type { FlowField } from '@/lib/meters/flow-schema';
import type { DefinitionChoice } from '@/components/meters/panels/panel-props';
import type { MeterProblem } from '@/lib/meters/problems';
import { withRenderedWorkspace } from '@/lib/workspaces/rendered-workspace';
import { SelectControl, TextControl } from '@/components/meters/panels/controls';
import { nextFieldName, SchemaTable } from '@/components/meters/panels/schema-table';
import styles from '@/components/meters/panels/panels.module.css';

const STARTER_FIELDS: FlowField[] = [
  { name: 'id', type: 'string', required: true },
  { name: 'timestamp', type: 'datetime', required: true },
];

/** A server refusal's field errors (`definition.fields.2.name`) as problems at config paths, for the shared controls. */
function problemsOf(result: ActionResult<unknown> | null, prefix: string): MeterProblem[] {
  if (!result || result.ok) return [];
  return Object.entries(result.fieldErrors).flatMap(([key, messages]) =>
    key === prefix || key.startsWith(`${prefix}.`) || prefix === ''
      ? [{ code: 'FIELD', severity: 'error' as const, nodeIds: [], edgeIds: [], message: messages.join(' '), configPath: key.split('.').slice(prefix ? prefix.split('.').length : 0).map((k) => (/^\d+$/.test(k) ? Number(k) : k)) }]
      : [],
  );
}
const at = (problems: MeterProblem[], key: string) => problems.filter((p) => p.configPath?.length === 1 && p.configPath[0] === key);

/**
 * Creates an event store without leaving the canvas: a name and either one of the workspace's definitions
 * (any of them, used by a store or not) or a new one (fields, event id, event time), created together in one
 * transaction. The page then
 * reloads its context (router.refresh) so the new store can be chosen, and `onCreated` chooses it.
 */
export function NewStoreForm({
  idPrefix,
  definitions,
  onCreated,
  onCancel,
}: {
  idPrefix: string;
  definitions: readonly DefinitionChoice[];
  onCreated: (storeId: string) => void;
  onCancel: () => void;
}) {
  const router = useRouter();
  const workspaceId = useRenderedWorkspace();
  const [pending, startTransition] = useTransition();
  const [result, setResult] = useState<ActionResult<{ id: string }> | null>(null);
  const [name, setName] = useState('');
  const [mode, setMode] = useState<'existing' | 'new'>(definitions.length ? 'existing' : 'new');
  const [definitionId, setDefinitionId] = useState('');
  const [draft, setDraft] = useState({ name: '', fields: STARTER_FIELDS, eventIdField: 'id', eventTimeField: 'timestamp' });
  const id = (key: string) => `${idPrefix}-new-store-${key}`;

  const submit = () =>
    startTransition(async () => {
      const send = <I,>(input: I) => (workspaceId ? withRenderedWorkspace(input, workspaceId) : input);
      const outcome =
        mode === 'existing'
          ? await createStoreAction(null, send({ name, definitionId }))
          : await createStoreWithDefinitionAction(null, send({ name, definition: { ...draft, description: '' } }));
      setResult(outcome);
      if (outcome.ok) {
        router.refresh();
        onCreated(outcome.data.id);
      }
    });

  const storeProblems = problemsOf(result, '');
  const definitionProblems = problemsOf(result, 'definition');
  const fieldNames = (type?: string) => draft.fields.filter((f) => f.name && (!type || f.type === type)).map((f) => ({ value: f.name, label: f.name }));
  return (
    <section className={styles.inlineForm} aria-label="New event store">
      <h3 className={styles.sectionTitle}>New event store</h3>
      <TextControl id={id('name')} label="Store name" value={name} onCommit={setName} problems={at(storeProblems, 'name')} hint="Lowercase letters, digits, “.”, “_” and “-”, e.g. api-calls." />
      <fieldset className={styles.section}>
        <legend className={styles.sectionTitle}>Event definition</legend>
        <label className="radio">
          <input type="radio" name={id('mode')} checked={mode === 'existing'} disabled={definitions.length === 0} onChange={() => setMode('existing')} /> An existing definition
        </label>
        <label className="radio">
          <input type="radio" name={id('mode')} checked={mode === 'new'} onChange={() => setMode('new')} /> A new definition
        </label>
      </fieldset>
      {mode === 'existing' ? (
        <SelectControl id={id('definition')} label="Definition" placeholder="Choose a definition" value={definitionId} options={definitions.map((d) => ({ value: d.id, label: d.name }))} onChange={setDefinitionId} problems={at(storeProblems, 'definitionId')} />
      ) : (
        <>
          <TextControl id={id('definition-name')} label="Definition name" value={draft.name} onCommit={(value) => setDraft({ ...draft, name: value })} problems={at(definitionProblems, 'name')} hint="e.g. API Call" />
          <SchemaTable nodeId={id('definition')} caption="Fields of the new definition" fields={draft.fields} onChange={(fields) => setDraft({ ...draft, fields })} problems={definitionProblems} editable newField={(fields) => ({ name: nextFieldName(fields), type: 'string', required: false })} />
          <div className={styles.row}>
            <SelectControl id={id('event-id')} label="Event-id field" value={draft.eventIdField} options={fieldNames()} onChange={(eventIdField) => setDraft({ ...draft, eventIdField })} problems={at(definitionProblems, 'eventIdField')} />
            <SelectControl id={id('event-time')} label="Event-time field" value={draft.eventTimeField} options={fieldNames('datetime')} onChange={(eventTimeField) => setDraft({ ...draft, eventTimeField })} problems={at(definitionProblems, 'eventTimeField')} />
          </div>
        </>
      )}
      {result && !result.ok ? (
        <p role="alert" className="field-error">
          {result.message}
        </p>
      ) : null}
      <div className="actions-row">
        <button type="button" className="button" disabled={pending} onClick={submit}>
          {pending ? 'Creating…' : 'Create store'}
        </button>
        <button type="button" className={styles.secondary} onClick={onCancel}>
          Cancel
        </button>
      </div>
    </section>
  );
}

/** "Create a store…", which opens the form in place; the Event Store source and target panels both offer it. */
export function CreateStoreInline({ idPrefix, definitions, onCreated }: { idPrefix: string; definitions: readonly DefinitionChoice[]; onCreated: (storeId: string) => void }) {
  const [creating, setCreating] = useState(false);
  if (!creating) {
    return (
      <button type="button" className={styles.secondary} onClick={() => setCreating(true)}>
        Create a store…
      </button>
    );
  }
  return (
    <NewStoreForm
      idPrefix={idPrefix}
      definitions={definitions}
      onCancel={() => setCreating(false)}
      onCreated={(storeId) => {
        setCreating(false);
        onCreated(storeId);
      }}
    />
  );
}
