import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { DateTime } from '@/components/ui/date-time';
import { PageHeader } from '@/components/ui/page-header';
import { requirePageContext } from '@/lib/auth/request-context';
import { getPool } from '@/lib/db/pool';
import { isAppError } from '@/lib/errors';
import { getCaughtEmail } from '@/lib/notifications/read-notifications';

export const metadata: Metadata = { title: 'Caught mail' };

export default async function CaughtMailMessagePage({ params }: { params: Promise<{ id: string }> }) {
  const [context, { id }] = await Promise.all([requirePageContext(), params]);
  const mail = await getCaughtEmail(getPool(), context.workspaceId, id).catch((error) => {
    if (isAppError(error) && error.status === 404) notFound();
    throw error;
  });
  return (
    <>
      <Link href="/custom-events/notifications/mail">← Caught mail</Link>
      <PageHeader title={mail.subject || '(no subject)'} />
      <section className="card" aria-labelledby="mail-headers">
        <h2 id="mail-headers">Headers</h2>
        <dl className="stats">
          <dt>From</dt>
          <dd>{mail.from}</dd>
          <dt>To</dt>
          <dd>{mail.to.join(', ')}</dd>
          <dt>Received</dt>
          <dd>
            <DateTime value={mail.receivedAt} withSeconds />
          </dd>
        </dl>
      </section>
      <section className="card" aria-labelledby="mail-body">
        <h2 id="mail-body">Message</h2>
        <pre aria-labelledby="mail-body" className="mail-text">
          {mail.text}
        </pre>
      </section>
    </>
  );
}
