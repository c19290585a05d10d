import Link from 'next/link';
import { formatDateTime } from '@/components/ui/format';
import type { UsageRecordRow } from '@/lib/usage-records/list-usage-records';

/** One page of usage records, newest start first. */
export function UsageRecordsTable({ rows }: { rows: UsageRecordRow[] }) {
  return (
    <div className="table-wrap">
      <table>
        <caption className="sr-only">Usage records, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Account</th>
            <th scope="col">Subscription</th>
            <th scope="col">Charge</th>
            <th scope="col" className="num">Quantity</th>
            <th scope="col">Unit</th>
            <th scope="col">Start</th>
            <th scope="col">End</th>
            <th scope="col">Meter</th>
            <th scope="col">Unique key</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id}>
              <th scope="row">{r.accountNumber}</th>
              <td>{r.subscriptionNumber ?? <span className="muted">—</span>}</td>
              <td>{r.chargeNumber ?? <span className="muted">—</span>}</td>
              <td className="num">{r.quantity}</td>
              <td>{r.unitOfMeasure}</td>
              <td>{formatDateTime(r.startDateTime)}</td>
              <td>{formatDateTime(r.endDateTime)}</td>
              <td>
                <Link href={`/meters/${r.meterId}`}>{r.meterName}</Link>
              </td>
              <td>
                <code>{r.uniqueKey}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
