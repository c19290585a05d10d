import type { z } from 'zod';

const shapeOf = (value: unknown) => (Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value);

/**
 * The config a panel edits. A config that parses is given parsed. One that does not (a rename row not yet
 * filled in, a URL half typed) must not fall back to the default, or the value being typed would vanish
 * from its field: each top-level setting keeps its saved value when it has the default's shape (text,
 * number, list, object) and takes the default's otherwise, so the panel never meets a value it cannot show.
 * The problems of the unparsed settings still come from validateMeter, at their paths.
 */
export function configForPanel<C>(schema: z.ZodType<C>, defaults: C, raw: unknown): C {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  if (!raw || typeof raw !== 'object' || Array.isArray(raw) || !defaults || typeof defaults !== 'object') return defaults;
  const out: Record<string, unknown> = { ...(defaults as Record<string, unknown>) };
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    const fallback = out[key];
    if (fallback === undefined ? ['string', 'number', 'boolean'].includes(shapeOf(value)) : shapeOf(value) === shapeOf(fallback)) out[key] = value;
  }
  return out as C;
}
