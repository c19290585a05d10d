import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { Suspense } from 'react';
import { RunsTable } from '@/components/runs/runs-table';
import { PageHeader } from '@/components/ui/page-header';
import { PageSkeleton } from '@/components/ui/skeleton';
import { requirePageContext } from '@/lib/auth/request-context';
import { getMeterForEditor } from '@/lib/meters/repository';
import { listRuns } from '@/lib/runs/read-runs';

export const metadata: Metadata = { title: 'Meter runs' };

const PAGE_SIZE = 50;

/** One meter's run history (the global list filtered to it, without the meter column). */
export default async function MeterRunsPage({ params }: { params: Promise<{ id: string }> }) {
  const [{ id }, context] = await Promise.all([params, requirePageContext()]);
  // The existence check runs before anything streams, so another workspace's meter or a wrong id is a 404.
  const meter = await getMeterForEditor(context.workspaceId, id);
  if (!meter) notFound();
  return (
    <>
      <PageHeader
        title={`Runs of ${meter.name}`}
        description="Newest first. Each run records the meter version it ran."
        actions={
          <Link href={`/meters/${meter.id}`} className="button secondary">
            Open the meter
          </Link>
        }
      />
      <Suspense fallback={<PageSkeleton label={`runs of ${meter.name}`} rows={6} />}>
        <MeterRuns meterId={meter.id} meterName={meter.name} workspaceId={context.workspaceId} />
      </Suspense>
    </>
  );
}

async function MeterRuns({ meterId, meterName, workspaceId }: { meterId: string; meterName: string; workspaceId: string }) {
  const { runs, next } = await listRuns(workspaceId, { meterId, limit: PAGE_SIZE });
  if (runs.length === 0) return <p className="card">This meter has not run yet. Use Run on the meter&apos;s page or on the Meters list.</p>;
  return <RunsTable initial={runs} next={next} meterId={meterId} caption={`Runs of ${meterName}, newest first`} />;
}
