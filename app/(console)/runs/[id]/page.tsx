import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { Suspense } from 'react';
import type { RunNodeInfo } from '@/components/runs/run-counts-tables';
import { RunDetail } from '@/components/runs/run-detail';
import { PageHeader } from '@/components/ui/page-header';
import { PageSkeleton } from '@/components/ui/skeleton';
import { roleCan } from '@/lib/auth/permissions';
import { requirePageContext } from '@/lib/auth/request-context';
import { KIND_LABELS } from '@/lib/meters/kinds/labels';
import { getMeterVersionGraph } from '@/lib/meters/repository';
import { getRunView } from '@/lib/runs/read-runs';
import type { RunView } from '@/lib/runs/types';

export const metadata: Metadata = { title: 'Run' };

export default async function RunPage({ params }: { params: Promise<{ id: string }> }) {
  const [{ id }, context] = await Promise.all([params, requirePageContext()]);
  // The existence check runs before anything streams, so another workspace's run or a wrong id is a 404.
  const run = await getRunView(context.workspaceId, id);
  if (!run) notFound();
  return (
    <>
      <PageHeader
        title={`${run.dryRun ? 'Dry run' : 'Run'} of ${run.meterName}`}
        description={`Run ${run.id.slice(0, 8)} of version ${run.meterVersion}. This page follows it live.`}
        actions={
          <>
            <Link href={`/meters/${run.meterId}/runs`} className="button secondary">
              Runs of this meter
            </Link>
            <Link href="/runs" className="button secondary">
              All runs
            </Link>
          </>
        }
      />
      <Suspense fallback={<PageSkeleton label="the run" rows={4} />}>
        <LoadedRun run={run} workspaceId={context.workspaceId} canCancel={roleCan(context.role, 'meter.run')} />
      </Suspense>
    </>
  );
}

/** The nodes of the version the run executes, left to right as on the canvas, named as the canvas names them. */
async function LoadedRun({ run, workspaceId, canCancel }: { run: RunView; workspaceId: string; canCancel: boolean }) {
  const graph = await getMeterVersionGraph(workspaceId, run.meterId, run.meterVersion);
  const nodes: RunNodeInfo[] = [...(graph?.nodes ?? [])]
    .sort((a, b) => a.position.x - b.position.x || a.position.y - b.position.y)
    .map((n) => ({ id: n.id, name: n.label || KIND_LABELS[n.kind], kind: n.label ? KIND_LABELS[n.kind] : '' }));
  return <RunDetail initial={run} nodes={nodes} renderedAt={new Date().toISOString()} canCancel={canCancel} />;
}
