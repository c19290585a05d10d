'use client';

import { useEffect, useState, type ComponentType } from 'react';
import type { ExpressionEditorProps } from '@/components/expression-editor/types';

/**
 * The expression editor. Monaco is loaded only in the browser and only on pages that show this
 * component; until it arrives (and without JavaScript) a plain text area edits the same form field.
 */
export function ExpressionEditor(props: ExpressionEditorProps) {
  const [Editor, setEditor] = useState<ComponentType<ExpressionEditorProps> | null>(null);
  const [value, setValue] = useState(props.defaultValue ?? '');
  useEffect(() => {
    let cancelled = false;
    import('@/components/expression-editor/monaco-expression-editor').then((m) => {
      if (!cancelled) setEditor(() => m.default);
    });
    return () => {
      cancelled = true;
    };
  }, []);
  if (Editor) return <Editor {...props} defaultValue={value} />;
  const id = `${props.name}-fallback`;
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <textarea
        id={id}
        name={props.name}
        rows={3}
        value={value}
        spellCheck={false}
        className="expression-fallback"
        aria-describedby={props.describedBy}
        aria-invalid={props.invalid || undefined}
        onChange={(e) => {
          setValue(e.target.value);
          props.onChange?.(e.target.value);
        }}
      />
    </div>
  );
}
