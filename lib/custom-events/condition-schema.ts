import { BILLING_OBJECTS, findObject, withCustomFields, type ObjectField } from '@/lib/custom-events/object-model';
import { AppError } from '@/lib/errors';
import type { ObjectChangeSchema } from '@/lib/expressions/schema';
import { suggest } from '@/lib/text/suggest';

// Client-safe (no Prisma, no Node): the trigger form builds the editor's schema with it on every change of
// the base object, and the server checks the saved condition against the same schema.

/** The names of the billing objects a trigger can be written on, in the object model's order. */
export const BASE_OBJECT_NAMES: readonly string[] = BILLING_OBJECTS.map((o) => o.name);

/** The canonical name of a billing object given in any case (`invoice` → Invoice), or null when there is none. */
export function canonicalBaseObject(name: string): string | null {
  return findObject(BILLING_OBJECTS, name.trim())?.name ?? null;
}

/** "Did you mean Invoice or InvoiceItem?" for an unknown object name, or '' when nothing is close. */
export function didYouMeanObject(name: string): string {
  const hints = suggest(name.trim(), BASE_OBJECT_NAMES);
  return hints.length ? ` Did you mean ${hints.join(' or ')}?` : '';
}

// The analyzer and compiler cache per schema object, so the standard schema of each object is made once.
const standard = new Map<string, ObjectChangeSchema>();

/**
 * The schema a trigger condition on `baseObject` is checked and compiled against: `changeType`, the base
 * object's fields with their `_old` values, and the fields of the other billing objects. `customFields`
 * (per workspace, keyed by object name) are added with withCustomFields; without them the schema is shared.
 * Throws an AppError naming the closest objects when `baseObject` is not a billing object.
 */
export function conditionSchemaFor(baseObject: string, customFields?: Record<string, ObjectField[]>): ObjectChangeSchema {
  const canonical = canonicalBaseObject(baseObject);
  if (!canonical) {
    throw new AppError('UNKNOWN_OBJECT', `There is no billing object “${baseObject}”.${didYouMeanObject(baseObject)}`);
  }
  if (customFields && Object.keys(customFields).length > 0) {
    return { kind: 'objectChange', baseObject: canonical, objects: withCustomFields(BILLING_OBJECTS, customFields) };
  }
  let schema = standard.get(canonical);
  if (!schema) standard.set(canonical, (schema = Object.freeze({ kind: 'objectChange', baseObject: canonical, objects: BILLING_OBJECTS })));
  return schema;
}
