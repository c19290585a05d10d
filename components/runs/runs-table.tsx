'use client';

import Link from 'next/link';
import { useState } from 'react';
import { DateTime } from '@/components/ui/date-time';
import { formatCount } from '@/components/ui/format';
import { useRenderedWorkspace } from '@/components/ui/use-workspace-action-state';
import type { RunView } from '@/lib/runs/types';
import { describeScope, formatDuration, writtenCount } from './run-format';
import { RunStatusBadge } from './run-status-badge';

function duration(run: RunView): string {
  if (!run.startedAt) return '—';
  const seconds = ((run.finishedAt ? Date.parse(run.finishedAt) : Date.now()) - Date.parse(run.startedAt)) / 1000;
  return run.finishedAt ? formatDuration(seconds) : `${formatDuration(seconds)} so far`;
}

/**
 * Runs newest first (all of the workspace's, or one meter's), with "Load more": the next keyset page comes
 * from `GET /api/v1/runs?before=<cursor>` and is appended, so the rows already read stay put.
 */
export function RunsTable({ initial, next: firstNext, meterId, caption }: { initial: RunView[]; next: string | null; meterId?: string; caption: string }) {
  const workspaceId = useRenderedWorkspace();
  const [runs, setRuns] = useState(initial);
  const [next, setNext] = useState(firstNext);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const loadMore = async () => {
    if (!next) return;
    setLoading(true);
    setError(null);
    try {
      const query = new URLSearchParams({ before: next, limit: String(Math.max(initial.length, 1)), ...(meterId ? { meterId } : {}) });
      const response = await fetch(`/api/v1/runs?${query}`, { headers: workspaceId ? { 'X-Workspace-Id': workspaceId } : {}, cache: 'no-store' });
      const body = (await response.json().catch(() => null)) as { runs?: RunView[]; next?: string | null; error?: { message?: string } } | null;
      if (!response.ok || !body?.runs) return setError(body?.error?.message ?? `The server answered ${response.status}.`);
      const seen = new Set(runs.map((r) => r.id));
      setRuns([...runs, ...body.runs.filter((r) => !seen.has(r.id))]);
      setNext(body.next ?? null);
    } catch {
      setError('The server could not be reached. Try again.');
    } finally {
      setLoading(false);
    }
  };

  return (
    <>
      <div className="table-wrap">
        <table>
          <caption className="sr-only">{caption}</caption>
          <thead>
            <tr>
              <th scope="col">Started</th>
              <th scope="col">Status</th>
              {meterId ? null : <th scope="col">Meter</th>}
              <th scope="col">Scope</th>
              <th scope="col" className="num">Version</th>
              <th scope="col" className="num">Read</th>
              <th scope="col" className="num">Written</th>
              <th scope="col" className="num">Errors</th>
              <th scope="col">Duration</th>
              <th scope="col">Started by</th>
            </tr>
          </thead>
          <tbody>
            {runs.map((run) => (
              <tr key={run.id}>
                <th scope="row">
                  <Link href={`/runs/${run.id}`} aria-label={`Run ${run.id.slice(0, 8)} of ${run.meterName}`}>
                    <DateTime value={new Date(run.startedAt ?? run.createdAt)} />
                  </Link>
                </th>
                <td>
                  <RunStatusBadge status={run.status} dryRun={run.dryRun} />
                </td>
                {meterId ? null : (
                  <td>
                    <Link href={`/meters/${run.meterId}`}>{run.meterName}</Link>
                  </td>
                )}
                <td>{describeScope(run.scope)}</td>
                <td className="num">{run.meterVersion}</td>
                <td className="num">{formatCount(run.progress.read)}</td>
                <td className="num">{run.dryRun ? <span className="muted">none (dry run)</span> : formatCount(writtenCount(run.progress))}</td>
                <td className="num">{formatCount(run.errorCount)}</td>
                <td suppressHydrationWarning>{duration(run)}</td>
                <td>{run.createdBy}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {error ? (
        <p role="alert" className="field-error">
          Could not load more runs: {error}
        </p>
      ) : null}
      {next ? (
        <button type="button" className="button secondary" onClick={() => void loadMore()} disabled={loading}>
          {loading ? 'Loading…' : 'Load more'}
        </button>
      ) : runs.length > initial.length ? (
        <p className="muted small">That is every run.</p>
      ) : null}
    </>
  );
}
