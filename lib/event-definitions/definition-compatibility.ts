import type { DefinitionField } from '@/lib/event-definitions/definition-schema';

/** What the compatibility check looks at: the fields and which of them identify and time an event. */
export interface DefinitionShape {
  fields: readonly Pick<DefinitionField, 'name' | 'type' | 'required'>[];
  eventIdField: string;
  eventTimeField: string;
}

export interface Compatibility {
  /** True when every event valid under the old definition is valid under the new one, with the same id and time. */
  compatible: boolean;
  /** Each change that could invalidate a stored event, in words ("removes field “region”"). */
  breaking: string[];
}

/**
 * Classifies a change to a definition. Compatible: description edits, adding optional fields, making a
 * field optional. Breaking: removing a field, changing a type, making a field required, adding a required
 * field, changing the event-id or event-time field. Fields are matched by exact name, so a rename is a
 * removal plus an addition (stored payloads keep the old key).
 */
export function compareDefinitions(old: DefinitionShape, next: DefinitionShape): Compatibility {
  const breaking: string[] = [];
  const nextByName = new Map(next.fields.map((f) => [f.name, f]));
  const oldNames = new Set(old.fields.map((f) => f.name));
  for (const before of old.fields) {
    const after = nextByName.get(before.name);
    if (!after) {
      breaking.push(`removes field “${before.name}”`);
      continue;
    }
    if (after.type !== before.type) breaking.push(`changes “${before.name}” from ${before.type} to ${after.type}`);
    if (after.required && !before.required) breaking.push(`makes “${before.name}” required`);
  }
  for (const added of next.fields) {
    if (!oldNames.has(added.name) && added.required) breaking.push(`adds required field “${added.name}”`);
  }
  if (next.eventIdField !== old.eventIdField) breaking.push(`changes the event-id field from “${old.eventIdField}” to “${next.eventIdField}”`);
  if (next.eventTimeField !== old.eventTimeField) {
    breaking.push(`changes the event-time field from “${old.eventTimeField}” to “${next.eventTimeField}”`);
  }
  return { compatible: breaking.length === 0, breaking };
}
