import type { Metadata } from 'next';
import Link from 'next/link';
import { DateTime } from '@/components/ui/date-time';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { requirePageContext } from '@/lib/auth/request-context';
import { getPool } from '@/lib/db/pool';
import { listCaughtEmails } from '@/lib/notifications/read-notifications';

export const metadata: Metadata = { title: 'Caught mail' };

export default async function CaughtMailPage() {
  const context = await requirePageContext();
  const mails = await listCaughtEmails(getPool(), context.workspaceId);
  return (
    <>
      <Link href="/custom-events/notifications">← Notifications</Link>
      <PageHeader
        title="Caught mail"
        description="Without SMTP_URL, the console sends its mail to a local catcher instead of the world; here is what it caught for this workspace (the latest 100)."
      />
      {mails.length === 0 ? (
        <EmptyState title="No mail caught yet">
          <p>
            Add an email subscription on <Link href="/custom-events/notifications">Notifications</Link>; each business event of its type then mails its recipients, and
            the mail shows up here.
          </p>
        </EmptyState>
      ) : (
        <div className="table-wrap">
          <table>
            <caption className="sr-only">Mail caught for this workspace</caption>
            <thead>
              <tr>
                <th scope="col">Subject</th>
                <th scope="col">To</th>
                <th scope="col">Received</th>
              </tr>
            </thead>
            <tbody>
              {mails.map((m) => (
                <tr key={m.id}>
                  <th scope="row">
                    <Link href={`/custom-events/notifications/mail/${m.id}`}>{m.subject || '(no subject)'}</Link>
                  </th>
                  <td>{m.to.join(', ')}</td>
                  <td>
                    <DateTime value={m.receivedAt} withSeconds />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
