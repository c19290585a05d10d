import { FUNCTIONS } from '@/lib/expressions/functions';
import { CHANGE_TYPE_VALUES, OLD_SUFFIX, resolvePath, type ExpressionSchema, type SchemaField } from '@/lib/expressions/schema';

/** One completion, independent of Monaco (so it can be unit-tested). */
export interface CompletionItem {
  label: string;
  kind: 'object' | 'field' | 'value' | 'function' | 'keyword';
  /** Text to insert; `$1` style placeholders when `snippet`. */
  insertText: string;
  snippet?: boolean;
  detail: string;
  documentation?: string;
  /** Start offset of the text the completion replaces (up to the cursor). */
  replaceFrom: number;
}

const IDENT_TAIL = /[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * What to offer at `offset`: after `Object.` that object's fields (and, on the base object, their `_old`
 * variants); inside quotes after `changeType ==` the change types, after `Object.Field ==` the field's
 * picklist; elsewhere objects or fields, `changeType`, functions with their signatures, true and false.
 */
export function completionsAt(source: string, offset: number, schema: ExpressionSchema): CompletionItem[] {
  const before = source.slice(0, offset);

  const quoted = /(?:([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)?)\s*(?:==|!=)\s*)(['"])([^'"]*)$/.exec(before);
  if (quoted) {
    const values = picklistOf(schema, quoted[1]!.split('.'));
    const replaceFrom = offset - quoted[3]!.length;
    return values.map((v) => ({ label: v, kind: 'value', insertText: `${v}${quoted[2]}`, detail: 'value', replaceFrom }));
  }
  if (/['"][^'"]*$/.test(before) && (before.split(/['"]/).length - 1) % 2 === 1) return [];

  const member = /([A-Za-z_$][\w$]*)\.([A-Za-z_$][\w$]*)?$/.exec(before);
  if (member && schema.kind === 'objectChange') {
    const object = resolvePath(schema, [member[1]!]);
    if (object.kind !== 'object') return [];
    const replaceFrom = offset - (member[2]?.length ?? 0);
    const items: CompletionItem[] = object.object.fields.map((f) => fieldItem(f, f.name, replaceFrom));
    if (object.base) {
      for (const f of object.object.fields) items.push(fieldItem(f, `${f.name}${OLD_SUFFIX}`, replaceFrom, `Previous value of ${f.name} (UPDATE; null on INSERT)`));
    }
    return items;
  }

  const word = IDENT_TAIL.exec(before)?.[0] ?? '';
  const replaceFrom = offset - word.length;
  const items: CompletionItem[] = [];
  if (schema.kind === 'objectChange') {
    items.push({ label: 'changeType', kind: 'keyword', insertText: 'changeType', detail: "'INSERT' | 'UPDATE' | 'DELETE'", documentation: 'What happened to the object.', replaceFrom });
    for (const object of schema.objects) {
      const base = object.name.toLowerCase() === schema.baseObject.toLowerCase();
      items.push({ label: object.name, kind: 'object', insertText: object.name, detail: base ? 'object (base: its change is checked)' : 'object (related)', documentation: object.description, replaceFrom });
    }
  } else {
    for (const f of schema.fields) items.push(fieldItem(f, f.name, replaceFrom));
  }
  for (const spec of Object.values(FUNCTIONS)) {
    if (spec.special && schema.kind !== 'objectChange') continue;
    const params = spec.params.map((p, i) => `\${${i + 1}:${p.name}}`).join(', ');
    items.push({ label: spec.name, kind: 'function', insertText: `${spec.name}(${params})`, snippet: true, detail: signatureOf(spec.name), documentation: spec.doc, replaceFrom });
  }
  for (const keyword of ['true', 'false']) items.push({ label: keyword, kind: 'keyword', insertText: keyword, detail: 'boolean', replaceFrom });
  return items;
}

function fieldItem(field: SchemaField, label: string, replaceFrom: number, doc?: string): CompletionItem {
  const type = field.picklist ? `${field.type}: ${field.picklist.map((p) => `'${p}'`).join(' | ')}` : field.type;
  return { label, kind: 'field', insertText: label, detail: `${type}${field.custom ? ' (custom field)' : ''}`, documentation: doc ?? field.description, replaceFrom };
}

function picklistOf(schema: ExpressionSchema, path: string[]): readonly string[] {
  const resolved = resolvePath(schema, path);
  if (resolved.kind === 'changeType') return CHANGE_TYPE_VALUES;
  if (resolved.kind === 'field') return resolved.field.picklist ?? [];
  return [];
}

/** `lower(text) → string` */
export function signatureOf(name: string): string {
  const spec = FUNCTIONS[name];
  if (!spec) return name;
  return `${spec.name}(${spec.params.map((p) => `${p.name}: ${p.type}`).join(', ')}) → ${spec.returns}`;
}

/** The function call the cursor is in and which argument, for signature help; null outside calls. */
export function callAt(source: string, offset: number): { name: string; argument: number } | null {
  let depth = 0;
  let argument = 0;
  let quote: string | null = null;
  const text = source.slice(0, offset);
  // Walk backwards, skipping quoted text, to the "(" that is still open.
  for (let i = text.length - 1; i >= 0; i--) {
    const ch = text[i]!;
    if (quote) {
      if (ch === quote && text[i - 1] !== '\\') quote = null;
      continue;
    }
    if (ch === "'" || ch === '"') quote = ch;
    else if (ch === ')' || ch === ']' || ch === '}') depth += 1;
    else if (ch === '[' || ch === '{') depth -= depth > 0 ? 1 : 0;
    else if (ch === ',' && depth === 0) argument += 1;
    else if (ch === '(') {
      if (depth > 0) {
        depth -= 1;
        continue;
      }
      const name = /([A-Za-z_$][\w$]*)\s*$/.exec(text.slice(0, i))?.[1];
      return name && Object.hasOwn(FUNCTIONS, name) ? { name, argument } : null;
    }
  }
  return null;
}

/** What the mouse is over: a field (type and description) or a function (signature and doc). */
export function hoverAt(source: string, offset: number, schema: ExpressionSchema): { start: number; end: number; title: string; doc: string } | null {
  const left = /[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*$/.exec(source.slice(0, offset))?.[0] ?? '';
  const right = /^[\w$]*/.exec(source.slice(offset))?.[0] ?? '';
  const chain = left + right;
  if (!chain) return null;
  const start = offset - left.length;
  const end = offset + right.length;
  const after = source.slice(end).trimStart();
  if (!chain.includes('.') && after.startsWith('(') && Object.hasOwn(FUNCTIONS, chain)) {
    return { start, end, title: signatureOf(chain), doc: FUNCTIONS[chain]!.doc };
  }
  const path = chain.split('.');
  const resolved = resolvePath(schema, path.slice(0, 2));
  if (resolved.kind === 'field') {
    const title = `${resolved.object ? `${resolved.object.name}.` : ''}${resolved.canonical}: ${resolved.field.type}`;
    const doc = resolved.old ? `Previous value of ${resolved.field.name}: filled on UPDATE, null on INSERT, the last value on DELETE. ${resolved.field.description ?? ''}` : (resolved.field.description ?? '');
    return { start, end, title, doc: resolved.field.picklist ? `${doc} Values: ${resolved.field.picklist.join(', ')}.` : doc };
  }
  if (resolved.kind === 'object') return { start, end, title: `${resolved.canonical} (${resolved.base ? 'base object' : 'related object'})`, doc: resolved.object.description ?? '' };
  if (resolved.kind === 'changeType') return { start, end, title: "changeType: 'INSERT' | 'UPDATE' | 'DELETE'", doc: 'What happened to the base object.' };
  return null;
}
