import { z } from 'zod';

/** The create form's input, checked on the server (the mappings text is checked against the source too). */
export const connectorInputSchema = z.object({
  name: z
    .string()
    .trim()
    .min(1, 'Give the connector a name, e.g. billing-db.')
    .max(60, 'Keep the name to 60 characters.')
    .regex(/^[A-Za-z0-9][A-Za-z0-9 _.-]*$/, 'Use letters, digits, spaces, “_”, “.” and “-”, starting with a letter or digit.'),
  sourceUrl: z
    .string()
    .trim()
    .min(1, 'Give the source database’s connection string, e.g. postgresql://user:password@host:5432/billing.')
    .refine((value) => isPostgresUrl(value), 'Write a PostgreSQL connection string: postgresql://user:password@host:5432/database.'),
  /** Kept apart from the connection string in the form, so the string can be shown again after a refusal. */
  password: z.string().max(500, 'The password is too long.').optional().default(''),
  mappings: z.string().max(20_000, 'The mappings are too long; at most 20,000 characters.'),
});

/** The connection string with the separately given password put in (percent-encoded). */
export function withPassword(url: string, password: string): string {
  if (password === '') return url;
  const parsed = new URL(url);
  parsed.password = encodeURIComponent(password);
  return parsed.toString();
}

export type ConnectorInput = z.infer<typeof connectorInputSchema>;

function isPostgresUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'postgresql:' || url.protocol === 'postgres:') && url.hostname !== '' && url.pathname.length > 1;
  } catch {
    return false;
  }
}

/** The connection string with its password hidden: all the browser ever sees of it. */
export function maskConnection(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '••••••';
    parsed.search = '';
    return decodeURIComponent(parsed.toString());
  } catch {
    return '(unreadable connection string)';
  }
}

/** Publication and slot names for a connector: derived from its id, so unique on any source server. */
export function replicationNames(id: string): { publication: string; slot: string } {
  const hex = id.replace(/-/g, '').toLowerCase();
  return { publication: `um_cdc_${hex}`, slot: `um_cdc_${hex}` };
}
