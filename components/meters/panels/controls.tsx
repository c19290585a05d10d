'use client';

import { useState } from 'react';
import { Select, type SelectOption } from '@/components/ui/select';
import type { MeterProblem } from '@/lib/meters/problems';
import { useDraft } from '@/components/meters/panels/use-draft';
import styles from '@/components/meters/panels/panels.module.css';

/** The problems of one control, linked to it by id (aria-describedby). */
export function ProblemText({ id, problems }: { id: string; problems: readonly MeterProblem[] }) {
  if (problems.length === 0) return null;
  return (
    <p id={id} className="field-error">
      {problems.map((p) => p.message).join(' ')}
    </p>
  );
}

interface ControlProps {
  id: string;
  label: string;
  problems?: readonly MeterProblem[];
  hint?: string;
  disabled?: boolean;
  /** Hide the label visually (tables label each cell by its row and column). */
  hiddenLabel?: boolean;
}

const describedBy = (id: string, hint: string | undefined, problems: readonly MeterProblem[]) =>
  [hint ? `${id}-hint` : null, problems.length ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;

/** A control's label (visually hidden in tables, where the row and column say it), its hint and its problems. */
function ControlFrame({ id, label, hiddenLabel, hint, problems, children }: ControlProps & { problems: readonly MeterProblem[]; children: React.ReactNode }) {
  return (
    <div className={`field ${styles.control}`}>
      <label htmlFor={id} className={hiddenLabel ? 'sr-only' : undefined}>
        {label}
      </label>
      {children}
      {hint ? (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      ) : null}
      <ProblemText id={`${id}-error`} problems={problems} />
    </div>
  );
}

/** A labelled text input whose edits are committed on blur, Enter or a pause (useDraft). */
export function TextControl({
  id,
  label,
  value,
  onCommit,
  problems = [],
  hint,
  disabled,
  hiddenLabel,
  type = 'text',
  placeholder,
  list,
}: ControlProps & { value: string; onCommit: (value: string) => void; type?: 'text' | 'url'; placeholder?: string; list?: string }) {
  const { draft, setDraft, flush } = useDraft(value, onCommit);
  return (
    <ControlFrame id={id} label={label} hiddenLabel={hiddenLabel} hint={hint} problems={problems}>
      <input
        id={id}
        type={type}
        value={draft}
        list={list}
        placeholder={placeholder}
        disabled={disabled}
        spellCheck={false}
        aria-invalid={problems.length > 0 || undefined}
        aria-describedby={describedBy(id, hint, problems)}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={flush}
        onKeyDown={(e) => {
          if (e.key === 'Enter') flush();
        }}
      />
    </ControlFrame>
  );
}

/**
 * A whole-number input, committed like TextControl and only when the text is a whole number (the kind's own
 * checks report a number out of range, with its limits).
 */
export function IntegerControl({ value, onCommit, ...props }: ControlProps & { value: number; onCommit: (value: number) => void }) {
  const [text, setText] = useState<string | null>(null);
  const local: MeterProblem[] = text === null ? [] : [{ code: 'NOT_A_NUMBER', severity: 'error', nodeIds: [], edgeIds: [], message: 'Enter a whole number.' }];
  return (
    <TextControl
      {...props}
      problems={[...local, ...(props.problems ?? [])]}
      value={text ?? String(value)}
      onCommit={(next) => {
        if (!/^\d+$/.test(next.trim())) return setText(next);
        setText(null);
        onCommit(Number(next));
      }}
    />
  );
}

/** A labelled choice (the kit's Select: keyboard and type-ahead), committed at once. */
export function SelectControl({
  id,
  label,
  value,
  options,
  onChange,
  problems = [],
  hint,
  disabled,
  hiddenLabel,
  placeholder,
}: ControlProps & { value: string; options: SelectOption[]; onChange: (value: string) => void; placeholder?: string }) {
  return (
    <ControlFrame id={id} label={label} hiddenLabel={hiddenLabel} hint={hint} problems={problems}>
      <Select
        id={id}
        value={value}
        options={options}
        onValueChange={onChange}
        placeholder={placeholder}
        disabled={disabled}
        ariaLabel={hiddenLabel ? label : undefined}
        ariaDescribedBy={describedBy(id, hint, problems)}
        invalid={problems.length > 0}
      />
    </ControlFrame>
  );
}

/** Several field names chosen from a list (group-by, keys, drop): one labelled checkbox each. */
export function FieldChecklist({
  legend,
  names,
  selected,
  onChange,
  problems = [],
  disabled,
  empty,
}: {
  legend: string;
  names: readonly string[];
  selected: readonly string[];
  onChange: (selected: string[]) => void;
  problems?: readonly MeterProblem[];
  disabled?: boolean;
  empty: string;
}) {
  // Chosen names no longer in the input stay listed (and unticking removes them), so nothing disappears silently.
  const all = [...names, ...selected.filter((s) => !names.includes(s))];
  return (
    <fieldset className={`field ${styles.checklist}`}>
      <legend className="field-label">{legend}</legend>
      {all.length === 0 ? <p className="hint">{empty}</p> : null}
      <div className={styles.checks}>
        {all.map((name) => (
          <label key={name} className="checkbox">
            <input
              type="checkbox"
              checked={selected.includes(name)}
              disabled={disabled}
              onChange={(e) => onChange(e.target.checked ? [...selected, name] : selected.filter((s) => s !== name))}
            />
            <span className={names.includes(name) ? undefined : styles.missing}>{name}</span>
          </label>
        ))}
      </div>
      {problems.length ? <p className="field-error">{problems.map((p) => p.message).join(' ')}</p> : null}
    </fieldset>
  );
}
