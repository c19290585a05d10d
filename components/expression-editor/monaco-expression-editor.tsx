'use client';

import * as monaco from 'monaco-editor';
import { useEffect, useRef, useState } from 'react';
import { forgetModel, LANGUAGE_ID, rangeOf, registerDialect, setModelContext, THEME_ID, validate } from '@/components/expression-editor/dialect';
import { problemSummary } from '@/components/expression-editor/problem-summary';
import styles from '@/components/expression-editor/expression-status.module.css';
import type { ExpressionEditorProps } from '@/components/expression-editor/types';
import type { Diagnostic, Fix } from '@/lib/expressions/diagnostics';
import { fixAllOffers } from '@/lib/expressions/fix-all';

declare global {
  interface Window {
    MonacoEnvironment?: { getWorker(workerId: string, label: string): Worker };
  }
}

// Monaco's own worker, bundled by Next from node_modules: served by the app, never from a CDN.
if (typeof window !== 'undefined' && !window.MonacoEnvironment) {
  window.MonacoEnvironment = {
    getWorker: () => new Worker(new URL('monaco-editor/editor/editor.worker.js', import.meta.url), { type: 'module' }),
  };
}

const VALIDATE_AFTER_MS = 60;

/** The status line, the "fix all" offers, and "CODE@start-end …" of each marker (lets end-to-end tests check places). */
function summarize(diagnostics: Diagnostic[]) {
  return {
    summary: problemSummary(diagnostics),
    fixAll: fixAllOffers(diagnostics),
    markers: diagnostics.map((d) => `${d.code}@${d.start}-${d.end}`).join(' '),
  };
}

/** Monaco with the dialect: highlighting, completion, hover, signature help, markers and quick fixes. */
export default function MonacoExpressionEditor({ name, label, defaultValue = '', schema, requireBoolean = false, onChange, describedBy, invalid = false }: ExpressionEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const editorRef = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  const [value, setValue] = useState(defaultValue);
  const [problems, setProblems] = useState(() => summarize([]));
  const onChangeRef = useRef(onChange);
  useEffect(() => {
    onChangeRef.current = onChange;
  }, [onChange]);

  useEffect(() => {
    registerDialect(monaco);
    const model = monaco.editor.createModel(defaultValue, LANGUAGE_ID);
    setModelContext(model, schema, requireBoolean);
    const editor = monaco.editor.create(host.current!, {
      model,
      theme: THEME_ID,
      ariaLabel: label,
      minimap: { enabled: false },
      lineNumbers: 'off',
      glyphMargin: false,
      folding: false,
      wordWrap: 'on',
      scrollBeyondLastLine: false,
      automaticLayout: true,
      fontSize: 14,
      renderLineHighlight: 'none',
      autoClosingBrackets: 'never',
      autoClosingQuotes: 'never',
      autoSurround: 'never',
      quickSuggestions: { other: true, strings: true, comments: false },
      suggestOnTriggerCharacters: true,
      lightbulb: { enabled: monaco.editor.ShowLightbulbIconMode.OnCode },
      tabFocusMode: true,
      overviewRulerLanes: 0,
      scrollbar: { alwaysConsumeMouseWheel: false },
      // The analyzer reports look-alike quotes and letters and invisible characters at their place, in our
      // words, with a fix (lib/expressions/characters.ts); Monaco's own highlight would say it twice, and
      // its "Adjust settings" links to settings this editor does not have.
      unicodeHighlight: { ambiguousCharacters: false, invisibleCharacters: false, nonBasicASCII: false },
    });
    editorRef.current = editor;
    const count = () => setProblems(summarize(validate(monaco, model)));
    count();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const subscription = model.onDidChangeContent(() => {
      const next = model.getValue();
      setValue(next);
      onChangeRef.current?.(next);
      clearTimeout(timer);
      timer = setTimeout(count, VALIDATE_AFTER_MS);
    });
    return () => {
      clearTimeout(timer);
      subscription.dispose();
      editor.dispose();
      forgetModel(model);
      model.dispose();
    };
    // The editor is created once; schema changes are applied by the effect below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    const model = editorRef.current?.getModel();
    if (!model) return;
    setModelContext(model, schema, requireBoolean);
    setProblems(summarize(validate(monaco, model)));
  }, [schema, requireBoolean]);

  /** Applies a combined fix as one edit (one undo step), then gives focus back to the editor the button was about. */
  const applyFix = (fix: Fix) => {
    const editor = editorRef.current;
    const model = editor?.getModel();
    if (!editor || !model) return;
    editor.pushUndoStop();
    editor.executeEdits('fix-all', fix.edits.map((e) => ({ range: rangeOf(monaco, model, e.start, e.end), text: e.text })));
    editor.pushUndoStop();
    editor.focus();
  };

  const statusId = `${name}-problems`;
  // The description and validity belong on the element that takes focus (Monaco's hidden input), not on
  // the host div: that is what a screen reader reads, and what "focus the first invalid field" finds.
  const describedIds = [statusId, describedBy].filter(Boolean).join(' ');
  useEffect(() => {
    const input = editorRef.current?.getDomNode()?.querySelector<HTMLElement>('textarea.inputarea, .native-edit-context');
    if (!input) return;
    input.setAttribute('aria-describedby', describedIds);
    if (invalid) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
  }, [describedIds, invalid]);
  return (
    <div className="field">
      <span className="field-label" id={`${name}-label`} onClick={() => editorRef.current?.focus()}>
        {label}
      </span>
      <div ref={host} className="expression-editor" data-testid={`${name}-editor`} data-markers={problems.markers} />
      {/* Not a live region: it changes with every keystroke; it is read with the editor (aria-describedby). */}
      <div className={styles.status}>
        <p id={statusId} className="hint">
          {problems.summary}
        </p>
        {problems.fixAll.map((offer) => (
          <button key={offer.code} type="button" className="link-button" onClick={() => applyFix(offer.fix)}>
            {offer.fix.title}
          </button>
        ))}
      </div>
      <input type="hidden" name={name} value={value} />
    </div>
  );
}
