import { Download } from 'lucide-react';
import { formatCount } from '@/components/ui/format';
import type { BackfillPreview } from '@/lib/backfills/types';

/** The numbers of a backfill file, as a list of terms (requested, matched or deleted, not found). */
export function BackfillCounts({ items }: { items: [term: string, value: number][] }) {
  return (
    <dl className="stats backfill-counts">
      {items.map(([term, value]) => (
        <div key={term}>
          <dt>{term}</dt>
          <dd>{formatCount(value)}</dd>
        </div>
      ))}
    </dl>
  );
}

/** Preview: what the file matched among the stored events, and the rows that match nothing (downloadable). */
export function BackfillPreviewStep({ preview }: { preview: BackfillPreview }) {
  return (
    <>
      <p>
        <strong>{preview.fileName}</strong> <span className="muted small">SHA-256 {preview.sha256.slice(0, 12)}…</span>
      </p>
      <BackfillCounts
        items={[
          ['Rows in the file', preview.requested],
          ['Match stored events', preview.matched],
          ['Match nothing', preview.notFound],
        ]}
      />
      <p className="hint">A row matches when an event with its id is stored with the same event time. Nothing has been deleted yet.</p>
      {preview.notFound > 0 ? <UnmatchedRows preview={preview} /> : null}
    </>
  );
}

function UnmatchedRows({ preview }: { preview: BackfillPreview }) {
  const shown = preview.unmatchedSample.length;
  return (
    <section aria-labelledby="unmatched-title" className="unmatched">
      <div className="rejections-head">
        <h3 id="unmatched-title">Rows that match no stored event</h3>
        <a className="button secondary" href={`/api/v1/backfills/${preview.id}/unmatched.csv`} download>
          <Download size={16} aria-hidden="true" /> Download unmatched rows (CSV)
        </a>
      </div>
      <div className="table-wrap">
        <table>
          <caption className="sr-only">Unmatched rows</caption>
          <thead>
            <tr>
              <th scope="col">Line</th>
              <th scope="col">Event id</th>
              <th scope="col">Event time</th>
              <th scope="col">Why</th>
            </tr>
          </thead>
          <tbody>
            {preview.unmatchedSample.map((row) => (
              <tr key={row.line}>
                <td className="num">{row.line}</td>
                <td>{row.eventId}</td>
                <td>{row.eventTime}</td>
                <td>
                  {row.reason}
                  {row.storedEventTime ? ` (stored: ${row.storedEventTime})` : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {preview.notFound > shown ? (
        <p className="muted small">
          The first {formatCount(shown)} of {formatCount(preview.notFound)} are listed; the download has them all.
        </p>
      ) : null}
    </section>
  );
}
