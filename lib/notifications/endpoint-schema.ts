import { z } from 'zod';
import { eventTypeSchema } from '@/lib/custom-events/triggers/trigger-schema';

// Client-safe rules of the endpoint forms; the server re-checks the URL against its SSRF policy (endpoint-url.ts).

export const MAX_RECIPIENTS = 20;

const urlSchema = z
  .string({ error: 'Enter the URL events are sent to, e.g. https://example.com/webhooks.' })
  .trim()
  .min(1, 'Enter the URL events are sent to, e.g. https://example.com/webhooks.')
  .max(2000, 'The URL is longer than 2,000 characters.');

const emailSchema = z.email({ error: 'is not an email address' });

/**
 * Recipients typed as one text: separated by commas, semicolons, spaces or lines (or a list, so parsing
 * again what was parsed gives the same). Each is named when wrong.
 */
export const recipientsSchema = z
  .union([z.string(), z.array(z.string())], { error: 'Enter who gets the mail: one or more addresses, separated by commas.' })
  .transform((value) => (Array.isArray(value) ? value.join(',') : value))
  .transform((text, ctx) => {
    const addresses = [...new Set(text.split(/[\s,;]+/).map((a) => a.trim()).filter(Boolean))];
    if (addresses.length === 0) {
      ctx.addIssue({ code: 'custom', message: 'Enter who gets the mail: one or more addresses, separated by commas.' });
      return z.NEVER;
    }
    if (addresses.length > MAX_RECIPIENTS) {
      ctx.addIssue({ code: 'custom', message: `At most ${MAX_RECIPIENTS} recipients; there are ${addresses.length}.` });
      return z.NEVER;
    }
    const wrong = addresses.filter((a) => !emailSchema.safeParse(a).success);
    if (wrong.length) {
      ctx.addIssue({ code: 'custom', message: `${wrong.map((a) => `“${a}”`).join(', ')} ${wrong.length === 1 ? 'is not an email address' : 'are not email addresses'}: write them like name@example.com.` });
      return z.NEVER;
    }
    return addresses;
  });

export const webhookInputSchema = z.object({ channel: z.literal('webhook'), eventType: eventTypeSchema, url: urlSchema });
export const emailInputSchema = z.object({ channel: z.literal('email'), eventType: eventTypeSchema, recipients: recipientsSchema });

/** A new endpoint or subscription: its channel decides which fields it needs. */
export const endpointInputSchema = z.discriminatedUnion('channel', [webhookInputSchema, emailInputSchema], {
  error: 'Choose webhook or email.',
});

export type EndpointInput = z.infer<typeof endpointInputSchema>;
export type EndpointInputRaw = z.input<typeof endpointInputSchema>;
