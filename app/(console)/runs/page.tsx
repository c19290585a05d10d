import type { Metadata } from 'next';
import Link from 'next/link';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';

export const metadata: Metadata = { title: 'Runs' };

export default function RunsPage() {
  return (
    <>
      <PageHeader title="Runs" />
      <EmptyState title="No runs yet">
        <p>Every meter run, replay over a time frame and backfill appears here with its progress, counts and outcome. Runs start from a meter or an event store.</p>
        <p>
          <Link href="/event-stores">Browse event stores</Link>
        </p>
      </EmptyState>
    </>
  );
}
