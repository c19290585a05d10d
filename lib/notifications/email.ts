import nodemailer from 'nodemailer';
import type { AttemptOutcome, EventForDelivery } from '@/lib/notifications/webhook';
import { EXCERPT_BYTES } from '@/lib/notifications/webhook';

export type MailTransport = ReturnType<typeof nodemailer.createTransport>;

/** From address of the console's mail (NOTIFY_MAIL_FROM overrides it). */
export const MAIL_FROM = process.env.NOTIFY_MAIL_FROM ?? 'Usage Mediation Console <notifications@console.invalid>';

/**
 * A transport to SMTP_URL (smtp:// or smtps://, credentials in the URL), or to the in-process catcher on
 * 127.0.0.1:`catcherPort` (no TLS: the catcher does not offer STARTTLS, its built-in certificate has expired).
 */
export function createMailTransport(options: { smtpUrl?: string; catcherPort?: number; timeoutMs: number }): MailTransport {
  const timeouts = { connectionTimeout: options.timeoutMs, greetingTimeout: options.timeoutMs, socketTimeout: options.timeoutMs };
  if (options.smtpUrl) return nodemailer.createTransport(options.smtpUrl, timeouts as never);
  if (!options.catcherPort) throw new Error('No SMTP_URL and no mail catcher: email cannot be sent.');
  return nodemailer.createTransport({ host: '127.0.0.1', port: options.catcherPort, secure: false, ignoreTLS: true, ...timeouts });
}

export interface ComposedMail {
  subject: string;
  text: string;
}

/** The mail of one business event: a clear subject, and a plain-text body with its essentials and its page. */
export function composeMail(event: EventForDelivery, eventUrl: string): ComposedMail {
  const lines = [
    `${event.eventType}: an ${event.changeType} of ${event.object} ${event.recordId} matched the trigger (version ${event.triggerVersion}).`,
    '',
    `Event type:     ${event.eventType}`,
    `Object:         ${event.object} ${event.recordId}`,
    `Change:         ${event.changeType} at ${event.changedAt.toISOString()}`,
    `Changed fields: ${event.changedFields.join(', ') || '—'}`,
    '',
    'Current values:',
    ...valueLines(event.current),
    '',
    'Previous values:',
    ...valueLines(event.previous),
    '',
    `See the event: ${eventUrl}`,
    '',
    `Event id ${event.id}, change ${event.changeId}, processed ${event.processedAt.toISOString()}.`,
  ];
  return { subject: `[${event.eventType}] ${event.object} ${event.recordId} (${event.changeType})`, text: lines.join('\n') };
}

function valueLines(values: Record<string, unknown>): string[] {
  const entries = Object.entries(values);
  if (entries.length === 0) return ['  (none)'];
  return entries.map(([key, value]) => `  ${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`);
}

/** Sends one delivery's mail and says how it went; never throws. The Message-ID is the delivery's, so a resent mail is recognisable. */
export async function sendMail(
  transport: MailTransport,
  input: { to: string[]; mail: ComposedMail; deliveryId: string; workspaceId: string; eventId: string },
): Promise<AttemptOutcome> {
  const started = performance.now();
  const took = () => Math.round(performance.now() - started);
  try {
    const info = await transport.sendMail({
      from: MAIL_FROM,
      to: input.to,
      subject: input.mail.subject,
      text: input.mail.text,
      messageId: `<${input.deliveryId}@notifications.console.invalid>`,
      headers: { 'X-Workspace-Id': input.workspaceId, 'X-Event-Id': input.eventId },
    });
    const rejected = (info.rejected ?? []).map(String);
    const response = String(info.response ?? '').slice(0, EXCERPT_BYTES);
    if (rejected.length) return { ok: false, statusCode: null, responseExcerpt: response, error: `The server refused ${rejected.join(', ')}.`, durationMs: took(), gone: false, retryAfterMs: null };
    return { ok: true, statusCode: null, responseExcerpt: response, error: null, durationMs: took(), gone: false, retryAfterMs: null };
  } catch (error) {
    const e = error as { code?: string; responseCode?: number; message?: string };
    return { ok: false, statusCode: e.responseCode ?? null, responseExcerpt: null, error: `Sending mail failed: ${e.code ? `${e.code} ` : ''}${e.message ?? String(error)}`.slice(0, EXCERPT_BYTES), durationMs: took(), gone: false, retryAfterMs: null };
  }
}
