'use client';

import { Play } from 'lucide-react';
import Link from 'next/link';
import { useState } from 'react';
import { Dialog } from '@/components/ui/dialog';
import { RefusalNote } from '@/components/ui/refusal-note';
import type { RunMode } from '@/lib/meters/run-mode';
import { LiveRunControls } from './live-run-controls';
import { RunForm, type RunPrefill } from './run-form';

const DESCRIPTIONS: Record<RunMode, string> = {
  eventStore: 'Runs the latest saved version over the source events you choose. A dry run writes nothing and reports what a run would change.',
  file: 'Runs the latest saved version over a file you upload. A dry run writes nothing and reports what a run would change.',
  live: 'An HTTP-ingest meter runs while it is started.',
};

/**
 * "Run" on a meter (its list row, its editor's toolbar): opens the Run dialog. Its content mounts with each
 * opening, so every opening starts fresh, with new idempotency keys.
 * `refusal`: why this user may not run meters (the server refuses them too); the dialog says so instead.
 * `prefill`: a time frame to start from (a backfill's replay offer), with `text` for the button.
 */
export function RunMeterButton({
  meter,
  mode,
  refusal,
  prefill,
  text,
}: {
  meter: { id: string; name: string };
  mode: RunMode | null;
  refusal: string | null;
  prefill?: RunPrefill;
  text?: string;
}) {
  const [open, setOpen] = useState(false);
  return (
    <Dialog
      open={open}
      onOpenChange={setOpen}
      title={`Run ${meter.name}`}
      description={mode && !refusal ? DESCRIPTIONS[mode] : undefined}
      trigger={
        <button type="button" className="button secondary" aria-label={text ?? `Run ${meter.name}`}>
          <Play size={14} aria-hidden="true" /> {text ?? (mode === 'live' ? 'Start / Stop' : 'Run')}
        </button>
      }
    >
      {!open ? null : refusal ? (
        <RefusalNote message={refusal} />
      ) : mode === null ? (
        <p>
          This meter has no saved source to run. <Link href={`/meters/${meter.id}`}>Open it</Link>, add a source and save it.
        </p>
      ) : mode === 'live' ? (
        <LiveRunControls meterId={meter.id} />
      ) : (
        <RunForm meterId={meter.id} mode={mode} prefill={prefill} />
      )}
    </Dialog>
  );
}
