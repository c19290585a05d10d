import type { Metadata } from 'next';
import Link from 'next/link';
import { CreateMeterForm } from '@/components/meter-list/create-meter-form';
import { LastRunCell } from '@/components/meter-list/last-run-cell';
import { MeterStatusBadge } from '@/components/meter-list/meter-status-badge';
import { RunMeterButton } from '@/components/runs/run-meter-button';
import { DateTime } from '@/components/ui/date-time';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { refusalMessage } from '@/lib/auth/permissions';
import { requirePageContext } from '@/lib/auth/request-context';
import { listMeters } from '@/lib/meters/repository';

export const metadata: Metadata = { title: 'Meters' };

const StoreLinks = ({ stores }: { stores: { id: string; name: string }[] }) =>
  stores.length === 0 ? (
    <span className="muted">—</span>
  ) : (
    <ul className="plain-list">
      {stores.map((s) => (
        <li key={s.id}>
          <Link href={`/event-stores/${s.id}`}>{s.name}</Link>
        </li>
      ))}
    </ul>
  );

export default async function MetersPage() {
  const context = await requirePageContext();
  const meters = await listMeters(context.workspaceId);
  const refusal = refusalMessage(context.role, context.workspaceName, 'meter.write');
  const runRefusal = refusalMessage(context.role, context.workspaceName, 'meter.run');
  return (
    <>
      <PageHeader title="Meters" description="Graphs from sources through processors to targets. Each save is a version." />
      {meters.length === 0 ? (
        <EmptyState title="No meters yet">
          <p>
            A meter reads events from a source (an <Link href="/event-stores">event store</Link>, an uploaded file or an
            HTTP endpoint), filters, maps, deduplicates or aggregates them, and writes the result to a target: another
            event store, usage records or a webhook. Create one below, then build it on the canvas.
          </p>
        </EmptyState>
      ) : (
        <div className="table-wrap">
          <table>
            <caption className="sr-only">Meters in this workspace</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Status</th>
                <th scope="col" className="num">Version</th>
                <th scope="col">Last run</th>
                <th scope="col">Sources</th>
                <th scope="col">Targets</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {meters.map((meter) => (
                <tr key={meter.id}>
                  <th scope="row">
                    <Link href={`/meters/${meter.id}`}>{meter.name}</Link>
                    {meter.description ? <div className="muted small">{meter.description}</div> : null}
                  </th>
                  <td>
                    <MeterStatusBadge status={meter.status} />
                  </td>
                  <td className="num">
                    {meter.version === 0 ? <span className="muted">Not saved</span> : meter.version}
                    <div className="muted small">
                      <DateTime value={meter.updatedAt} relative />
                    </div>
                  </td>
                  <td>
                    <LastRunCell run={meter.lastRun} meterId={meter.id} />
                  </td>
                  <td>
                    <StoreLinks stores={meter.sources} />
                  </td>
                  <td>
                    <StoreLinks stores={meter.targets} />
                  </td>
                  <td>
                    <RunMeterButton meter={{ id: meter.id, name: meter.name }} mode={meter.runMode} refusal={runRefusal} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <section className="card">
        <CreateMeterForm refusal={refusal} />
      </section>
    </>
  );
}
