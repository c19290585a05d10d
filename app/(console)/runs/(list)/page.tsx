import type { Metadata } from 'next';
import Link from 'next/link';
import { RunsTable } from '@/components/runs/runs-table';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { requirePageContext } from '@/lib/auth/request-context';
import { listRuns } from '@/lib/runs/read-runs';

export const metadata: Metadata = { title: 'Runs' };

/** Rows per page of the list and of each "Load more". */
const PAGE_SIZE = 50;

export default async function RunsPage() {
  const context = await requirePageContext();
  const { runs, next } = await listRuns(context.workspaceId, { limit: PAGE_SIZE });
  return (
    <>
      <PageHeader title="Runs" description="Every run of every meter in this workspace, newest first: replays over a time frame, file runs, dry runs and started HTTP-ingest meters." />
      {runs.length === 0 ? (
        <EmptyState title="No runs yet">
          <p>
            A run reads a meter&apos;s source (all time or a time frame of an event store, an uploaded file, or what arrives over
            HTTP), passes it through the meter and writes its targets. Start one with <strong>Run</strong> on the{' '}
            <Link href="/meters">Meters</Link> page or in a meter&apos;s editor; it appears here with its progress, counts and outcome.
          </p>
        </EmptyState>
      ) : (
        <RunsTable initial={runs} next={next} caption="Runs in this workspace, newest first" />
      )}
    </>
  );
}
