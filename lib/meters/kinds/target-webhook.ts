import { z } from 'zod';
import type { NodeKindSpec } from '@/lib/meters/kind-spec';
import { KIND_LABELS } from '@/lib/meters/kinds/labels';
import { passThrough } from '@/lib/meters/kinds/pass-through';

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** https:// anywhere; http:// only to this machine (tests, local receivers). No credentials in the URL. */
export function webhookUrlProblem(text: string): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'Enter the full address, starting with https://.';
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOCAL_HOSTS.has(url.hostname))) return 'Use an https:// address (http:// only for localhost).';
  if (url.username || url.password) return 'Leave user names and passwords out of the address; send a secret in a header instead.';
  return null;
}

const HEADER_NAME = /^[A-Za-z0-9-]{1,64}$/;

export const webhookConfigSchema = z.object({
  url: z
    .string({ error: 'Enter the address to send the records to.' })
    .trim()
    .max(2000, 'Keep the address to 2,000 characters or fewer.')
    .default('')
    .superRefine((url, ctx) => {
      const problem = webhookUrlProblem(url);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
  batchSize: z.number({ error: 'Enter the batch size as a whole number.' }).int('Enter the batch size as a whole number.').min(1, 'Send at least 1 record per batch.').max(1000, 'Send at most 1,000 records per batch.').default(100),
  secretHeader: z
    .string()
    .trim()
    .regex(HEADER_NAME, 'A header name is letters, digits and “-”, e.g. X-Webhook-Secret.')
    .optional()
    .or(z.literal('').transform(() => undefined)),
});
/** Records are POSTed as JSON arrays of up to `batchSize`; `secretHeader` names the header carrying the signing secret. */
export type WebhookConfig = z.output<typeof webhookConfigSchema>;

export const webhookTargetSpec: NodeKindSpec<WebhookConfig> = {
  kind: 'target.webhook',
  category: 'target',
  label: KIND_LABELS['target.webhook'],
  description: 'Sends the records to a URL with HTTP POST, in batches.',
  keywords: ['http', 'post', 'callout', 'url', 'notify', 'send'],
  configSchema: webhookConfigSchema,
  defaultConfig: () => ({ url: '', batchSize: 100 }),
  inputs: 1,
  outputs: 0,
  outputSchema: () => ({ fields: [] }),
  check: () => [],
  storeRefs: () => [],
  summary: (config) => (config.url ? `POST ${config.url}` : 'No address'),
  createProcessor: () => passThrough(),
};
