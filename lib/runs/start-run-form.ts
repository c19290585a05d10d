import { z } from 'zod';
import { AppError } from '@/lib/errors';
import { unstorableText } from '@/lib/event-store/storable-value';
import { MAX_RUN_FILE_BYTES } from '@/lib/runs/run-shape';
import { idempotencyKeySchema, RECORD_ERROR_POLICIES, runScopeSchema } from '@/lib/runs/types';

/**
 * The start of a run as a form sends it (the Run dialog's server action, or multipart/form-data over
 * REST): the same fields as StartRunInput, with the scope as JSON text, the flags as form values and
 * the file beside them. Plain objects (JSON bodies, object inputs) parse too.
 */

const SCOPE_MISSING = 'Choose what the run reads: All time, a time frame, a file, or start the live meter.';

/** The scope as an object, or as JSON text in a form field; its own messages keep their paths (scope.to). */
export const scopeField = z.unknown().transform((value, ctx) => {
  let scope = value;
  if (typeof value === 'string') {
    try {
      scope = JSON.parse(value);
    } catch {
      scope = undefined;
    }
  }
  const parsed = runScopeSchema.safeParse(scope);
  if (parsed.success) return parsed.data;
  const typed = typeof scope === 'object' && scope !== null && 'kind' in scope;
  if (!typed) ctx.addIssue({ code: 'custom', message: SCOPE_MISSING });
  else for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
  return z.NEVER;
});

export const versionField = z.preprocess((v) => (v === '' || v === null ? undefined : v), z.coerce.number().int().min(1, 'Versions start at 1.').optional());
export const meterIdField = z.uuid({ error: 'Choose a meter.' });

const FLAG_TEXT: Record<string, boolean> = { on: true, true: true, false: false, '': false };

/**
 * Form checkboxes send "on" (or nothing), the dialog "true"/"false", JSON clients booleans. Anything else
 * ("yes", 1, "dry") is refused rather than read as false: a client that meant a dry run must never get a
 * real run that writes its targets.
 */
const flag = (name: string) =>
  z.preprocess(
    (v) => (v === undefined || v === null ? false : typeof v === 'string' && Object.hasOwn(FLAG_TEXT, v.toLowerCase()) ? FLAG_TEXT[v.toLowerCase()] : v),
    z.boolean({ error: `${name} is true or false (a form may send "on", "true" or "false").` }),
  );

export const startRunFormSchema = z.object({
  meterId: meterIdField,
  version: versionField,
  scope: scopeField,
  dryRun: flag('dryRun'),
  errorPolicy: z.preprocess((v) => (v === '' ? undefined : v), z.enum(RECORD_ERROR_POLICIES, { error: 'The record error policy is "skip" or "stop".' }).default('skip')),
  idempotencyKey: idempotencyKeySchema,
  file: z.instanceof(File).optional(),
});

/** The uploaded file's bytes (none for an empty file input), refused past the limit before it is read. */
export async function fileOfForm(file: File | undefined): Promise<{ name: string; content: Buffer } | undefined> {
  if (!file || file.size === 0) return undefined;
  const badName = unstorableText(file.name);
  if (badName) throw new AppError('INVALID_FILE_NAME', `The file's name ${badName}`, { status: 400, fieldErrors: { file: [`The file's name ${badName}`] } });
  if (file.size > MAX_RUN_FILE_BYTES) {
    throw new AppError('FILE_TOO_LARGE', `The file “${file.name}” is larger than ${MAX_RUN_FILE_BYTES / 1024 / 1024} MB, the most a run takes.`, {
      status: 413,
      fieldErrors: { file: ['Larger than the limit.'] },
    });
  }
  return { name: file.name, content: Buffer.from(await file.arrayBuffer()) };
}
