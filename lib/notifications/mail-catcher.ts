import type { AddressInfo } from 'node:net';
import { simpleParser, type AddressObject } from 'mailparser';
import type pg from 'pg';
import { SMTPServer } from 'smtp-server';
import { logger } from '@/lib/logger';

export interface MailCatcher {
  port: number;
  stop(): Promise<void>;
}

/**
 * The demo's SMTP server (when SMTP_URL is not set): accepts any mail on 127.0.0.1 without auth and keeps it
 * in caught_emails, where the console shows it. STARTTLS is not offered (smtp-server's built-in certificate
 * has expired, and a client would upgrade and fail). A mail is acknowledged only once it is stored. Port 0
 * picks a free one.
 */
export async function startMailCatcher(pool: pg.Pool, port = 0): Promise<MailCatcher> {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    size: 1 << 20,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then(async (mail) => {
          const workspace = mail.headers.get('x-workspace-id');
          const to = session.envelope.rcptTo.map((r) => r.address);
          await pool.query(
            `INSERT INTO caught_emails (workspace_id, message_id, from_address, to_addresses, subject, text)
             VALUES (CASE WHEN $1 ~ '^[0-9a-f-]{36}$' THEN $1::uuid END, $2, $3, $4, $5, $6)`,
            [typeof workspace === 'string' ? workspace : '', mail.messageId ?? null, addressText(mail.from) || (session.envelope.mailFrom ? session.envelope.mailFrom.address : ''), to, mail.subject ?? '', mail.text ?? ''],
          );
          callback();
        })
        .catch((error: unknown) => {
          logger.warn({ err: error }, 'mail catcher could not store a mail');
          callback(error as Error);
        });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  server.on('error', (error) => logger.warn({ err: error }, 'mail catcher error'));
  return {
    port: (server.server.address() as AddressInfo).port,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function addressText(address: AddressObject | AddressObject[] | undefined): string {
  if (!address) return '';
  return (Array.isArray(address) ? address : [address]).map((a) => a.text).join(', ');
}
