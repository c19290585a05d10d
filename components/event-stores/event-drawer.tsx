'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { Drawer } from '@/components/ui/drawer';
import { formatDateTime } from '@/components/ui/format';
import type { EventRow } from '@/lib/event-store/scan-events';

/**
 * One event beside the list, in a drawer whose open state is the URL's `?event=` (so it can be shared and
 * the back button closes it). Closing hides it at once, then drops `event` from the URL without a reload,
 * and gives focus back to the event's View link.
 */
export function EventDrawer({ event, closeHref }: { event: EventRow | null; closeHref: string }) {
  const router = useRouter();
  // Closed locally before the URL catches up, so the drawer does not linger for a server round trip.
  const [closedId, setClosedId] = useState<string | null>(null);
  if (!event) return null;
  return (
    <Drawer
      open={closedId !== event.eventId}
      onOpenChange={(open) => {
        if (open) return;
        setClosedId(event.eventId);
        router.push(closeHref, { scroll: false });
      }}
      title={`Event ${event.eventId}`}
      description={
        <>
          Event time {formatDateTime(event.eventTime, true)} · stored {formatDateTime(event.ingestedAt, true)}
        </>
      }
      onCloseFocus={() => document.querySelector<HTMLElement>(`[data-view-event="${CSS.escape(event.eventId)}"]`)}
    >
      <pre className="json-view" role="region" aria-label={`JSON of event ${event.eventId}`} tabIndex={0}>
        {JSON.stringify(event.payload, null, 2)}
      </pre>
    </Drawer>
  );
}
