import { Download } from 'lucide-react';
import Link from 'next/link';
import { DateTime } from '@/components/ui/date-time';
import { formatCount } from '@/components/ui/format';
import type { BackfillStatus, BackfillView } from '@/lib/backfills/types';
import { UndoBackfillButton } from './undo-backfill-button';
import { undoOutcome } from './undo-outcome';

const STATUS: Record<BackfillStatus, string> = { previewed: 'Previewed, not confirmed', completed: 'Completed', undone: 'Undone', failed: 'Failed' };

/**
 * The store's backfills, newest first: when, who, the file (name and SHA-256), the numbers, the status,
 * the downloads (deleted events, unmatched rows) and Undo. `canChange`: whether this user may undo.
 */
export function BackfillsSection({ storeId, backfills, canChange }: { storeId: string; backfills: BackfillView[]; canChange: boolean }) {
  return (
    <section className="card" aria-labelledby="backfills-title">
      <h2 id="backfills-title">Backfills</h2>
      {backfills.length === 0 ? (
        <p className="muted">
          No backfills yet. A backfill deletes events listed in a CSV, keeps them, and can be undone.{' '}
          {canChange ? <Link href={`/event-stores/${storeId}/backfill`}>Start one</Link> : null}
        </p>
      ) : (
        <div className="table-wrap">
          <table>
            <caption className="sr-only">Backfills of this store, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">File</th>
                <th scope="col" className="num">
                  Requested
                </th>
                <th scope="col" className="num">
                  Deleted
                </th>
                <th scope="col" className="num">
                  Not found
                </th>
                <th scope="col">Status</th>
                <th scope="col">Downloads</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {backfills.map((b) => (
                <BackfillRow key={b.id} backfill={b} canChange={canChange} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function BackfillRow({ backfill: b, canChange }: { backfill: BackfillView; canChange: boolean }) {
  return (
    <tr>
      <td>
        <DateTime value={new Date(b.confirmedAt ?? b.createdAt)} relative />
      </td>
      <td>{b.confirmedBy ?? b.createdBy}</td>
      <th scope="row">
        <Link href={`/event-stores/${b.store.id}/backfill?b=${b.id}`}>{b.fileName}</Link>
        <br />
        <code className="small" title={`SHA-256 ${b.sha256}`}>
          {b.sha256.slice(0, 12)}
        </code>
      </th>
      <td className="num">{formatCount(b.requested)}</td>
      <td className="num">{b.deleted === null ? '—' : formatCount(b.deleted)}</td>
      <td className="num">{formatCount(b.notFound)}</td>
      <td>
        {STATUS[b.status]}
        {b.undo ? <div className="small muted">{undoOutcome(b.undo)}</div> : null}
      </td>
      <td>
        <ul className="plain-list small">
          {b.status === 'completed' || b.status === 'undone' ? (
            <li>
              <a href={`/api/v1/backfills/${b.id}/deleted-events.csv`} download aria-label={`Download deleted events of ${b.fileName}`}>
                <Download size={12} aria-hidden="true" /> Deleted events
              </a>
            </li>
          ) : null}
          {b.notFound > 0 ? (
            <li>
              <a href={`/api/v1/backfills/${b.id}/unmatched.csv`} download aria-label={`Download unmatched rows of ${b.fileName}`}>
                <Download size={12} aria-hidden="true" /> Unmatched rows
              </a>
            </li>
          ) : null}
        </ul>
      </td>
      <td>{canChange && b.status === 'completed' ? <UndoBackfillButton backfill={b} /> : null}</td>
    </tr>
  );
}
