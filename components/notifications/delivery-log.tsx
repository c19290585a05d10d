import Link from 'next/link';
import { DateTime } from '@/components/ui/date-time';
import { ResendButton } from '@/components/notifications/endpoint-controls';
import type { DeliveryItem } from '@/lib/notifications/read-notifications';

/** A delivery status in a word. */
export const STATUS_LABEL = { pending: 'Pending', sending: 'Sending', succeeded: 'Succeeded', failed: 'Failed' } as const;

/** What a delivery's state means, in words: "Succeeded after 3 attempts", "Retrying (2 of 10)". */
export function deliveryStatusText(d: Pick<DeliveryItem, 'status' | 'attempts' | 'maxAttempts'>): string {
  const attempts = `${d.attempts} attempt${d.attempts === 1 ? '' : 's'}`;
  if (d.status === 'succeeded') return `Succeeded after ${attempts}`;
  if (d.status === 'failed') return `Failed after ${attempts}`;
  if (d.status === 'sending') return `Sending (attempt ${d.attempts})`;
  return d.attempts === 0 ? 'Pending' : `Retrying (${d.attempts} of ${d.maxAttempts} made)`;
}

/**
 * A delivery log: each delivery with every attempt (time, status code, duration, result, response excerpt)
 * and a Resend button for those who may. `show` says which side to name: the event (an endpoint's log) or
 * the endpoint (an event's log).
 */
export function DeliveryLog({ deliveries, show, canResend }: { deliveries: DeliveryItem[]; show: 'event' | 'endpoint'; canResend: boolean }) {
  return (
    <ol className="delivery-log" aria-label="Deliveries">
      {deliveries.map((d) => {
        const subject = show === 'event' ? `${d.eventType} ${d.recordId}` : `${d.channel === 'webhook' ? 'webhook' : 'email'} to ${d.endpointLabel}`;
        return (
          <li key={d.id} className="card">
            <h3 className="delivery-title">
              {show === 'event' ? <Link href={`/custom-events/business-events/${d.eventId}`}>{subject}</Link> : <Link href={`/custom-events/notifications/${d.endpointId}`}>{subject}</Link>}
              {': '}
              <span className={`status status-${d.status}`}>{deliveryStatusText(d)}</span>
            </h3>
            <p className="muted small">
              Queued <DateTime value={d.createdAt} />
              {d.status === 'pending' && d.attempts > 0 ? (
                <>
                  ; next attempt <DateTime value={d.nextAttemptAt} />
                </>
              ) : null}
              {d.endpointActive ? null : '; its endpoint is disabled'}
            </p>
            {d.attemptLog.length === 0 ? (
              <p className="muted">No attempt yet.</p>
            ) : (
              <div className="table-wrap">
                <table>
                  <caption className="sr-only">Attempts of the delivery of {subject}</caption>
                  <thead>
                    <tr>
                      <th scope="col" className="num">Attempt</th>
                      <th scope="col">Started</th>
                      <th scope="col" className="num">Status code</th>
                      <th scope="col" className="num">Duration</th>
                      <th scope="col">Result</th>
                      <th scope="col">Response</th>
                    </tr>
                  </thead>
                  <tbody>
                    {d.attemptLog.map((a) => (
                      <tr key={a.attempt}>
                        <td className="num">
                          {a.attempt}
                          {a.resendBy ? <div className="muted small">resent by {a.resendBy}</div> : null}
                        </td>
                        <td>
                          <DateTime value={a.startedAt} withSeconds />
                        </td>
                        <td className="num">{a.statusCode ?? '—'}</td>
                        <td className="num">{a.durationMs} ms</td>
                        <td>{a.succeeded ? 'Delivered' : (a.error ?? 'Failed')}</td>
                        <td>{a.responseExcerpt ? <pre className="excerpt">{a.responseExcerpt}</pre> : '—'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            {canResend && d.status !== 'sending' && d.endpointActive ? <ResendButton id={d.id} label={`the delivery of ${d.eventType} ${d.recordId} to ${d.endpointLabel}`} /> : null}
          </li>
        );
      })}
    </ol>
  );
}
