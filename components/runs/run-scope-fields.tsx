'use client';

import { DateTimeRangePicker, type DateTimeRange } from '@/components/ui/date-time-range-picker';
import type { RunEstimate } from '@/lib/runs/types';
import { formatLocalDateTime } from '@/lib/time/date-time-range';

export type ScopeChoice = 'all' | 'frame';

/** What the source holds, in the zone the user picks times in, so a frame can be chosen to fit it. */
function sourceSpanHint(estimate: RunEstimate | null, zone: string): string {
  const end = 'The end is not included.';
  if (!estimate) return end;
  const businessEvents = estimate.source === 'businessEvents';
  if (!estimate.earliest || !estimate.latest) return `${businessEvents ? 'There are no business events of this type yet.' : 'The source store has no events yet.'} ${end}`;
  const at = (iso: string) => formatLocalDateTime(new Date(iso), zone);
  const what = businessEvents ? 'The business events’ change times' : "The source store's events";
  return `${what} run from ${at(estimate.earliest)} to ${at(estimate.latest)}. ${end}`;
}

/** The data scope of an Event Store or Business Events source: all time, or a time frame picked in an explicit time zone. */
export function RunScopeFields({
  choice,
  onChoice,
  range,
  onRange,
  estimate,
  disabled,
}: {
  choice: ScopeChoice;
  onChoice: (choice: ScopeChoice) => void;
  range: DateTimeRange;
  onRange: (range: DateTimeRange) => void;
  estimate: RunEstimate | null;
  disabled: boolean;
}) {
  return (
    <fieldset className="field" disabled={disabled}>
      <legend>Data scope</legend>
      <label className="icon-text">
        <input type="radio" name="scope" value="all" checked={choice === 'all'} onChange={() => onChoice('all')} /> All time
      </label>
      <label className="icon-text">
        <input type="radio" name="scope" value="frame" checked={choice === 'frame'} onChange={() => onChoice('frame')} /> Specify time frame
      </label>
      {choice === 'frame' ? <DateTimeRangePicker value={range} onChange={onRange} labels={{ start: 'Start', end: 'End' }} hint={sourceSpanHint(estimate, range.zone)} /> : null}
    </fieldset>
  );
}
