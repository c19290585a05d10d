import { canonicalBaseObject, conditionSchemaFor } from '@/lib/custom-events/condition-schema';
import type { ObjectField } from '@/lib/custom-events/object-model';
import { createTriggerFormSchema } from '@/lib/custom-events/triggers/trigger-schema';
import { AppError } from '@/lib/errors';
import { analyze, type Diagnostic } from '@/lib/expressions';

// Client-safe: the trigger form shows the same refusal before sending that the server gives on save.

export interface ConditionCheck {
  /** Everything the analyzer found, warnings included. */
  diagnostics: Diagnostic[];
  /** The errors, each as "Character 14-22: message" (1-based, inclusive). Warnings never block a save. */
  errors: string[];
}

/** Where a diagnostic is, for people: "Character 14" or "Character 14-22" (1-based, inclusive). */
export function characterRange(diagnostic: Pick<Diagnostic, 'start' | 'end'>): string {
  const from = diagnostic.start + 1;
  const to = Math.max(diagnostic.end, from);
  return to === from ? `Character ${from}` : `Character ${from}-${to}`;
}

/** Analyzes a trigger condition on `baseObject` as a saved condition must be: true or false, no errors. */
export function checkCondition(condition: string, baseObject: string, customFields?: Record<string, ObjectField[]>): ConditionCheck {
  const { diagnostics } = analyze(condition, conditionSchemaFor(baseObject, customFields), { requireBoolean: true });
  const errors = diagnostics.filter((d) => d.severity === 'error').map((d) => `${characterRange(d)}: ${d.message}`);
  return { diagnostics, errors };
}

/** The message of a refused save: "The condition has 2 errors; fix them before saving." */
export function conditionRefusal(errorCount: number): string {
  const what = errorCount === 1 ? 'an error' : `${errorCount} errors`;
  return `The condition has ${what}; fix ${errorCount === 1 ? 'it' : 'them'} before saving.`;
}

/**
 * Refuses a condition with errors: an AppError whose `fieldErrors.condition` lists each error with its
 * characters and whose `details.diagnostics` carries the analyzer's diagnostics (warnings included).
 */
export function assertConditionSaveable(condition: string, baseObject: string, customFields?: Record<string, ObjectField[]>): void {
  const { diagnostics, errors } = checkCondition(condition, baseObject, customFields);
  if (errors.length === 0) return;
  throw new AppError('INVALID_CONDITION', conditionRefusal(errors.length), {
    status: 400,
    fieldErrors: { condition: errors },
    details: { diagnostics },
  });
}

/**
 * The trigger form's problems keyed by field, as the server would report them (input rules first, then the
 * condition's errors when the base object is known); null when it can be sent.
 */
export function triggerFormErrors(raw: unknown): Record<string, string[]> | null {
  const parsed = createTriggerFormSchema.safeParse(raw);
  const out: Record<string, string[]> = {};
  if (!parsed.success) {
    for (const issue of parsed.error.issues) (out[issue.path.join('.') || '_form'] ??= []).push(issue.message);
  }
  const fields = (raw ?? {}) as { condition?: unknown; baseObject?: unknown; kind?: unknown };
  const base = typeof fields.baseObject === 'string' ? canonicalBaseObject(fields.baseObject) : null;
  // A date trigger's condition is optional: an empty one is not checked.
  const optional = fields.kind === 'date' && typeof fields.condition === 'string' && !fields.condition.trim();
  if (!out.condition && !optional && base && typeof fields.condition === 'string') {
    const { errors } = checkCondition(fields.condition, base);
    if (errors.length) out.condition = errors;
  }
  return Object.keys(out).length ? out : null;
}
