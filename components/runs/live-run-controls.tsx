'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import { cancelRunAction, startRunAction } from '@/app/(console)/runs/actions';
import { useWorkspaceCall } from '@/components/meters/canvas/use-workspace-call';
import { DateTime } from '@/components/ui/date-time';
import { useRenderedWorkspace } from '@/components/ui/use-workspace-action-state';
import type { RunView } from '@/lib/runs/types';
import { newIdempotencyKey } from './idempotency-key';
import { RunRefusal, type Refusal } from './run-refusal';
import { isFinal } from './use-run-view';

type Current = { status: 'loading' } | { status: 'ready'; live: RunView | null } | { status: 'error'; message: string };

/** The meter's live (HTTP-ingest) run that is still going, if any: the newest run of the meter, when it is live and not final. */
function useOpenLiveRun(meterId: string): [Current, (live: RunView | null) => void] {
  const workspaceId = useRenderedWorkspace();
  const [current, setCurrent] = useState<Current>({ status: 'loading' });
  useEffect(() => {
    let active = true;
    fetch(`/api/v1/runs?meterId=${encodeURIComponent(meterId)}&limit=1`, { headers: workspaceId ? { 'X-Workspace-Id': workspaceId } : {}, cache: 'no-store' })
      .then(async (response) => {
        const body = (await response.json()) as { runs?: RunView[]; error?: { message?: string } };
        if (!active) return;
        if (!response.ok) return setCurrent({ status: 'error', message: body.error?.message ?? `The server answered ${response.status}.` });
        const newest = body.runs?.[0] ?? null;
        setCurrent({ status: 'ready', live: newest && newest.scope.kind === 'live' && !isFinal(newest) ? newest : null });
      })
      .catch(() => active && setCurrent({ status: 'error', message: 'The server could not be reached.' }));
    return () => {
      active = false;
    };
  }, [meterId, workspaceId]);
  return [current, (live) => setCurrent({ status: 'ready', live })];
}

/**
 * An HTTP-ingest meter is started and stopped rather than run over a scope: started, it processes what
 * arrives in micro-batches until stopped (stopping ends the run as completed).
 */
export function LiveRunControls({ meterId }: { meterId: string }) {
  const router = useRouter();
  const start = useWorkspaceCall(startRunAction);
  const stop = useWorkspaceCall(cancelRunAction);
  const [current, setLive] = useOpenLiveRun(meterId);
  const [pending, setPending] = useState(false);
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const key = useRef(newIdempotencyKey());

  const act = async (work: () => Promise<void>) => {
    setPending(true);
    setRefusal(null);
    try {
      await work();
    } catch {
      setRefusal({ message: 'The server could not be reached; nothing changed. Try again.' });
    } finally {
      setPending(false);
    }
  };
  const onStart = () =>
    act(async () => {
      const result = await start({ meterId, scope: { kind: 'live' }, dryRun: false, errorPolicy: 'skip', idempotencyKey: key.current });
      if (!result.ok) return setRefusal({ message: result.message, problems: result.problems });
      router.push(`/runs/${result.data.runId}`);
    });
  const onStop = (live: RunView) =>
    act(async () => {
      const result = await stop({ runId: live.id });
      if (!result.ok) return setRefusal({ message: result.message });
      setLive(null);
      key.current = newIdempotencyKey();
    });

  if (current.status === 'loading') return <p role="status">Looking for a started run…</p>;
  if (current.status === 'error') return <RunRefusal refusal={{ message: `Could not tell whether the meter is started: ${current.message}` }} />;
  const live = current.live;
  return (
    <div className="run-form">
      <p>
        {live ? (
          <>
            Started <DateTime value={new Date(live.startedAt ?? live.createdAt)} relative />: it processes events sent to its HTTP endpoint until stopped.{' '}
            <Link href={`/runs/${live.id}`}>Open the run</Link>
          </>
        ) : (
          'Stopped. Start it to process the events sent to its HTTP endpoint, in micro-batches, until you stop it.'
        )}
      </p>
      <RunRefusal refusal={refusal} />
      <div className="run-form-buttons">
        {live ? (
          <button type="button" className="button danger-outline" disabled={pending} onClick={() => void onStop(live)}>
            {pending ? 'Stopping…' : 'Stop'}
          </button>
        ) : (
          <button type="button" className="button" disabled={pending} onClick={() => void onStart()}>
            {pending ? 'Starting…' : 'Start'}
          </button>
        )}
      </div>
    </div>
  );
}
