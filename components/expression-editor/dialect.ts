import type * as Monaco from 'monaco-editor';
import { analyze } from '@/lib/expressions/analyze';
import type { Diagnostic, Fix } from '@/lib/expressions/diagnostics';
import { fixAllOffers } from '@/lib/expressions/fix-all';
import { FUNCTIONS } from '@/lib/expressions/functions';
import type { ExpressionSchema } from '@/lib/expressions/schema';
import { callAt, completionsAt, hoverAt } from '@/components/expression-editor/completions';

export const LANGUAGE_ID = 'usage-expression';
export const THEME_ID = 'usage-light';

interface ModelContext {
  schema: ExpressionSchema;
  requireBoolean: boolean;
  diagnostics: Diagnostic[];
}

// Language providers are global in Monaco: registered once, they look up each model's schema here.
const contexts = new Map<string, ModelContext>();
let registered = false;

export function setModelContext(model: Monaco.editor.ITextModel, schema: ExpressionSchema, requireBoolean: boolean) {
  const existing = contexts.get(model.uri.toString());
  contexts.set(model.uri.toString(), { schema, requireBoolean, diagnostics: existing?.diagnostics ?? [] });
}

export function forgetModel(model: Monaco.editor.ITextModel) {
  contexts.delete(model.uri.toString());
}

/** Runs the analyzer and shows its diagnostics as markers; returns them. */
export function validate(monaco: typeof Monaco, model: Monaco.editor.ITextModel): Diagnostic[] {
  const context = contexts.get(model.uri.toString());
  if (!context) return [];
  const source = model.getValue();
  const diagnostics = source.trim() === '' ? [] : analyze(source, context.schema, { requireBoolean: context.requireBoolean }).diagnostics;
  context.diagnostics = diagnostics;
  const severity = { error: monaco.MarkerSeverity.Error, warning: monaco.MarkerSeverity.Warning, info: monaco.MarkerSeverity.Info };
  monaco.editor.setModelMarkers(
    model,
    LANGUAGE_ID,
    diagnostics.map((d) => {
      const start = model.getPositionAt(d.start);
      const end = model.getPositionAt(Math.max(d.end, d.start + 1));
      return { startLineNumber: start.lineNumber, startColumn: start.column, endLineNumber: end.lineNumber, endColumn: end.column, message: d.message, severity: severity[d.severity], code: d.code };
    }),
  );
  return diagnostics;
}

/** Registers the dialect once: grammar, theme, completion, hover, signature help, quick fixes. */
export function registerDialect(monaco: typeof Monaco) {
  if (registered) return;
  registered = true;
  monaco.languages.register({ id: LANGUAGE_ID });
  monaco.languages.setMonarchTokensProvider(LANGUAGE_ID, {
    keywords: ['true', 'false', 'in', 'changeType'],
    functions: Object.keys(FUNCTIONS),
    tokenizer: {
      root: [
        [/[‘’“”]/, 'invalid'],
        [/'(?:[^'\\]|\\.)*'/, 'string'],
        [/"(?:[^"\\]|\\.)*"/, 'string'],
        [/'(?:[^'\\]|\\.)*$/, 'string.invalid'],
        [/\d*\.\d+|\d+/, 'number'],
        [/[A-Za-z_$][\w$]*(?=\s*\()/, { cases: { '@functions': 'predefined', '@default': 'identifier' } }],
        [/[A-Za-z_$][\w$]*/, { cases: { '@keywords': 'keyword', '@default': 'identifier' } }],
        [/&&|\|\||==|!=|>=|<=|\/\/|[<>+\-*/%^!|?:]/, 'operator'],
        [/[()[\]{}.,]/, 'delimiter'],
        [/\s+/, 'white'],
      ],
    },
  });
  monaco.languages.setLanguageConfiguration(LANGUAGE_ID, {
    brackets: [
      ['(', ')'],
      ['[', ']'],
      ['{', '}'],
    ],
    wordPattern: /[A-Za-z_$][\w$]*/,
  });
  monaco.editor.defineTheme(THEME_ID, {
    base: 'vs',
    inherit: true,
    rules: [
      { token: 'identifier', foreground: '1f2937' },
      { token: 'string', foreground: '0b7a3e' },
      { token: 'number', foreground: '9a3412' },
      { token: 'keyword', foreground: '7c3aed' },
      { token: 'predefined', foreground: '0e7490' },
      { token: 'operator', foreground: '2f5bd3', fontStyle: 'bold' },
      { token: 'delimiter', foreground: '6b7280' },
      { token: 'invalid', foreground: 'b42318', fontStyle: 'underline' },
    ],
    colors: {},
  });

  const kinds = {
    object: monaco.languages.CompletionItemKind.Module,
    field: monaco.languages.CompletionItemKind.Field,
    value: monaco.languages.CompletionItemKind.EnumMember,
    function: monaco.languages.CompletionItemKind.Function,
    keyword: monaco.languages.CompletionItemKind.Keyword,
  };
  monaco.languages.registerCompletionItemProvider(LANGUAGE_ID, {
    triggerCharacters: ['.', "'", '"', '|', '('],
    provideCompletionItems(model, position) {
      const context = contexts.get(model.uri.toString());
      if (!context) return { suggestions: [] };
      const offset = model.getOffsetAt(position);
      const items = completionsAt(model.getValue(), offset, context.schema);
      return {
        suggestions: items.map((item, index) => {
          const from = model.getPositionAt(item.replaceFrom);
          return {
            label: { label: item.label, description: item.detail },
            kind: kinds[item.kind],
            insertText: item.insertText,
            insertTextRules: item.snippet ? monaco.languages.CompletionItemInsertTextRule.InsertAsSnippet : undefined,
            detail: item.detail,
            documentation: item.documentation,
            sortText: String(index).padStart(4, '0'),
            range: new monaco.Range(from.lineNumber, from.column, position.lineNumber, position.column),
          };
        }),
      };
    },
  });
  monaco.languages.registerHoverProvider(LANGUAGE_ID, {
    provideHover(model, position) {
      const context = contexts.get(model.uri.toString());
      if (!context) return null;
      const hover = hoverAt(model.getValue(), model.getOffsetAt(position), context.schema);
      if (!hover) return null;
      const start = model.getPositionAt(hover.start);
      const end = model.getPositionAt(hover.end);
      return { range: new monaco.Range(start.lineNumber, start.column, end.lineNumber, end.column), contents: [{ value: `**${hover.title}**` }, { value: hover.doc }] };
    },
  });
  monaco.languages.registerSignatureHelpProvider(LANGUAGE_ID, {
    signatureHelpTriggerCharacters: ['(', ','],
    provideSignatureHelp(model, position) {
      const call = callAt(model.getValue(), model.getOffsetAt(position));
      const spec = call ? FUNCTIONS[call.name] : undefined;
      if (!call || !spec) return null;
      return {
        value: {
          signatures: [
            {
              label: `${spec.name}(${spec.params.map((p) => `${p.name}: ${p.type}`).join(', ')})`,
              documentation: spec.doc,
              parameters: spec.params.map((p) => ({ label: `${p.name}: ${p.type}` })),
            },
          ],
          activeSignature: 0,
          activeParameter: Math.min(call.argument, Math.max(0, spec.params.length - 1)),
        },
        dispose() {},
      };
    },
  });
  monaco.languages.registerCodeActionProvider(LANGUAGE_ID, {
    provideCodeActions(model, _range, codeActionContext) {
      const context = contexts.get(model.uri.toString());
      if (!context) return { actions: [], dispose() {} };
      const actions: Monaco.languages.CodeAction[] = [];
      const fixAll = new Map(fixAllOffers(context.diagnostics).map((offer) => [offer.code, offer]));
      const offered = new Set<string>();
      for (const marker of codeActionContext.markers) {
        const start = model.getOffsetAt({ lineNumber: marker.startLineNumber, column: marker.startColumn });
        const diagnostic = context.diagnostics.find((d) => d.start === start && d.code === marker.code);
        if (!diagnostic) continue;
        diagnostic.fixes.forEach((fix, i) => {
          actions.push({ title: fix.title, kind: 'quickfix', diagnostics: [marker], isPreferred: i === 0, edit: workspaceEdit(monaco, model, fix) });
        });
        // Seven casing hints should not take seven Ctrl+. rounds: one action fixes every one of the kind.
        const all = fixAll.get(diagnostic.code);
        if (all && !offered.has(all.code)) {
          offered.add(all.code);
          actions.push({ title: all.fix.title, kind: 'quickfix', diagnostics: [marker], edit: workspaceEdit(monaco, model, all.fix) });
        }
      }
      return { actions, dispose() {} };
    },
  });
}

/** Offsets of the model as a Monaco range. */
export function rangeOf(monaco: typeof Monaco, model: Monaco.editor.ITextModel, start: number, end: number): Monaco.Range {
  const from = model.getPositionAt(start);
  const to = model.getPositionAt(end);
  return new monaco.Range(from.lineNumber, from.column, to.lineNumber, to.column);
}

/** A fix as one workspace edit: Monaco applies all its edits together, as one undo step. */
function workspaceEdit(monaco: typeof Monaco, model: Monaco.editor.ITextModel, fix: Fix): Monaco.languages.WorkspaceEdit {
  return {
    edits: fix.edits.map((e) => ({ resource: model.uri, versionId: model.getVersionId(), textEdit: { range: rangeOf(monaco, model, e.start, e.end), text: e.text } })),
  };
}
