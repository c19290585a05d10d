import { z } from 'zod';
import { compile } from '@/lib/expressions';
import { isRejection, makePayloadValidator } from '@/lib/event-store/record-validation';
import { expressionSchemaOf, type FlowField, type FlowRecord, type FlowSchema } from '@/lib/meters/flow-schema';
import type { MeterNode } from '@/lib/meters/graph';
import type { RecordProcessor, RejectedRecord } from '@/lib/meters/kind-spec';
import { assignHint, findField, isAssignable } from '@/lib/meters/kinds/field-types';
import { nodeName } from '@/lib/meters/kinds/labels';
import { checkExpression, configError, nodeError } from '@/lib/meters/kinds/node-problems';
import { MAX_EXPRESSION } from '@/lib/meters/kinds/processor-filter';
import type { MeterProblem } from '@/lib/meters/problems';

/** Target field name → an expression over the incoming fields (usually just a field name); '' = not mapped. */
export const mappingSchema = z
  .record(z.string(), z.string({ error: 'Each mapping is an expression (text), e.g. a field name.' }).max(MAX_EXPRESSION, `Keep expressions to ${MAX_EXPRESSION.toLocaleString('en')} characters or fewer.`))
  .refine((m) => Object.keys(m).length <= 200, { message: 'A mapping can have at most 200 fields.' });
export type Mapping = z.output<typeof mappingSchema>;

/** What a mapping lands in: its fields, the one that must be mapped as the event time, and how to name it. */
export interface MappingTarget {
  /** "store “api-calls”", "usage records". */
  name: string;
  fields: readonly FlowField[];
  eventTimeField: string | null;
  eventIdField: string;
}

/** The mapped expression of a target field, or '' when it is not mapped (own keys only). */
export const mappedSource = (mapping: Mapping, field: string) => (Object.hasOwn(mapping, field) ? (mapping[field] ?? '').trim() : '');

/** MAPPING_INCOMPLETE, EVENT_TIME_UNMAPPED, MAPPING_TYPE and EXPRESSION problems of a mapping against what flows in. */
export function checkMapping(node: MeterNode, mapping: Mapping, target: MappingTarget, input: FlowSchema): MeterProblem[] {
  const problems: MeterProblem[] = [];
  const who = nodeName(node);
  for (const key of Object.keys(mapping)) {
    if (!target.fields.some((f) => f.name === key)) problems.push(configError(node, `maps “${key}”, which ${target.name} does not have. Remove that row.`, ['mapping', key]));
  }
  for (const field of target.fields) {
    const source = mappedSource(mapping, field.name);
    const path = ['mapping', field.name];
    if (!source) {
      if (field.name === target.eventTimeField) {
        problems.push(nodeError(node, 'EVENT_TIME_UNMAPPED', `${who}: the event time “${field.name}” of ${target.name} is not mapped. Map it to a datetime field, e.g. the usage’s start time.`, path));
      } else if (field.required) {
        problems.push(nodeError(node, 'MAPPING_INCOMPLETE', `${who}: the required field “${field.name}” of ${target.name} is not mapped. Map it to an incoming field or an expression.`, path));
      }
      continue;
    }
    const { problems: expressionProblems, type } = checkExpression(node, source, input, path, `the mapping of “${field.name}”`);
    if (expressionProblems.length) problems.push(...expressionProblems);
    else if (!isAssignable(type, field.type)) {
      problems.push(nodeError(node, 'MAPPING_TYPE', `${who}: “${field.name}” of ${target.name} is ${field.type}, but “${source}” gives ${type}; ${assignHint(type, field.type)}.`, path));
    }
  }
  return problems;
}

/**
 * Shapes each incoming record into the target's record by evaluating the mapping, then checks it by the
 * event stores' own rules (types, required fields, times in range): a record that would not be stored is
 * rejected with a reason naming the field.
 */
export function mappingProcessor(mapping: Mapping, target: MappingTarget, input: FlowSchema, extraCheck?: (record: FlowRecord) => string | null): RecordProcessor {
  const schema = expressionSchemaOf(input);
  const columns = target.fields.flatMap((field) => {
    const source = mappedSource(mapping, field.name);
    return source ? [{ name: field.name, run: compile(source, schema) }] : [];
  });
  const validate = makePayloadValidator(
    {
      name: target.name,
      fields: target.fields.map((f) => ({ name: f.name, type: f.type, required: f.required, description: f.description ?? '' })),
      eventIdField: target.eventIdField,
      eventTimeField: target.eventTimeField ?? '',
    },
    { textual: false },
  );
  return {
    push(records) {
      const out: FlowRecord[] = [];
      const rejected: RejectedRecord[] = [];
      records.forEach((record, i) => {
        const shaped: FlowRecord = {};
        for (const { name, run } of columns) {
          const value = run(record);
          if (value !== undefined && value !== null) shaped[name] = value;
        }
        const result = validate(shaped, i);
        if (isRejection(result)) return void rejected.push({ record, reason: result.reason });
        const extra = extraCheck?.(result.payload);
        if (extra) rejected.push({ record, reason: extra });
        else out.push(result.payload);
      });
      return { records: out, rejected };
    },
    flush: () => ({ records: [], rejected: [] }),
  };
}

/**
 * A mapping suggestion: each target field gets the incoming field of the same name (case-insensitive);
 * an event-time field left over gets an incoming datetime field (the only one, or the first whose name
 * says time, e.g. "occurredAt", "timestamp"), and so does any other datetime field by the same rule.
 */
export function suggestMapping(targetFields: readonly { name: string; type: string }[], input: FlowSchema, eventTimeField?: string): Record<string, string> {
  const mapping: Record<string, string> = {};
  const used = new Set<string>();
  for (const field of targetFields) {
    const match = findField(input.fields, field.name);
    if (match) {
      mapping[field.name] = match.name;
      used.add(match.name);
    }
  }
  const datetimes = input.fields.filter((f) => f.type === 'datetime' && !used.has(f.name));
  const timeLike = datetimes.find((f) => /time|date|at$|start/i.test(f.name)) ?? datetimes[0];
  const order = [...targetFields].sort((a, b) => Number(b.name === eventTimeField) - Number(a.name === eventTimeField));
  for (const field of order) {
    if (field.type !== 'datetime' || Object.hasOwn(mapping, field.name) || !timeLike || used.has(timeLike.name)) continue;
    if (field.name !== eventTimeField && datetimes.length !== 1) continue;
    mapping[field.name] = timeLike.name;
    used.add(timeLike.name);
  }
  return mapping;
}
