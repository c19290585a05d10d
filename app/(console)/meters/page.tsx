import type { Metadata } from 'next';
import Link from 'next/link';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';

export const metadata: Metadata = { title: 'Meters' };

export default function MetersPage() {
  return (
    <>
      <PageHeader title="Meters" />
      <EmptyState title="No meters yet">
        <p>A meter is a graph on a canvas: sources (an event store, an uploaded file, an HTTP endpoint, business events) flow through processors (filter, map, deduplicate, aggregate) into targets (an event store, usage records, a webhook). The meter canvas arrives with its own release; until then, explore the event stores that meters will read.</p>
        <p>
          <Link href="/event-stores">Browse event stores</Link>
        </p>
      </EmptyState>
    </>
  );
}
