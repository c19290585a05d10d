import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { Suspense, type ReactNode } from 'react';
import { MeterEditor } from '@/components/meters/canvas/meter-editor';
import type { VersionEntry } from '@/components/meters/canvas/history-drawer';
import { RunMeterButton } from '@/components/runs/run-meter-button';
import { PageSkeleton } from '@/components/ui/skeleton';
import { refusalMessage, roleCan } from '@/lib/auth/permissions';
import { listDefinitions } from '@/lib/event-definitions/list-definitions';
import { requirePageContext } from '@/lib/auth/request-context';
import { runModeOf } from '@/lib/meters/run-mode';
import { getMeterForEditor, getMeterVersionGraph, listMeterVersions, loadMeterContext, type MeterForEditor } from '@/lib/meters/repository';

export const metadata: Metadata = { title: 'Meter' };

/** The history offers this many versions, newest first, each with its graph for the diff and restore. */
const HISTORY_VERSIONS = 20;

export default async function MeterPage({ params }: { params: Promise<{ id: string }> }) {
  const [{ id }, context] = await Promise.all([params, requirePageContext()]);
  // The existence check runs before anything streams, so another workspace's meter or a wrong id is a 404.
  const meter = await getMeterForEditor(context.workspaceId, id);
  if (!meter) notFound();
  return (
    <Suspense fallback={<PageSkeleton label={`meter ${meter.name}`} rows={6} />}>
      <LoadedEditor
        meter={meter}
        workspaceId={context.workspaceId}
        editable={roleCan(context.role, 'meter.write')}
        runButton={<RunMeterButton meter={{ id: meter.id, name: meter.name }} mode={meter.version === 0 ? null : runModeOf(meter.graph)} refusal={refusalMessage(context.role, context.workspaceName, 'meter.run')} />}
      />
    </Suspense>
  );
}

async function LoadedEditor({ meter, workspaceId, editable, runButton }: { meter: MeterForEditor; workspaceId: string; editable: boolean; runButton: ReactNode }) {
  const [meterContext, definitions, versions] = await Promise.all([loadMeterContext(workspaceId), listDefinitions(workspaceId), listMeterVersions(workspaceId, meter.id)]);
  const recent = versions.slice(0, HISTORY_VERSIONS);
  const graphs = await Promise.all(recent.map((v) => getMeterVersionGraph(workspaceId, meter.id, v.version)));
  const entries: VersionEntry[] = recent.flatMap((v, i) => {
    const graph = graphs[i];
    return graph ? [{ version: v.version, createdAt: v.createdAt.toISOString(), createdBy: v.createdBy, note: v.note, graph }] : [];
  });
  return (
    <MeterEditor
      meter={{ id: meter.id, name: meter.name, version: meter.version, graph: meter.graph }}
      stores={[...meterContext.stores.values()]}
      eventTypes={[...(meterContext.eventTypes?.values() ?? [])]}
      definitions={definitions.map((d) => ({ id: d.id, name: d.name }))}
      versions={entries}
      editable={editable}
      runButton={runButton}
    />
  );
}
