'use client';

import { TZDate } from '@date-fns/tz';
import { CalendarDays } from 'lucide-react';
import { useEffect, useId, useRef, useState, useSyncExternalStore } from 'react';
import { DayPicker } from 'react-day-picker';
import 'react-day-picker/style.css';
import { Popover } from '@/components/ui/popover';
import {
  formatLocalDateTime,
  parseLocalDateTime,
  PRESET_LABELS,
  PRESETS,
  presetRange,
  validateRange,
  zoneChoices,
  zoneOffsetLabel,
  type DateTimeRange,
} from '@/lib/time/date-time-range';
import styles from './date-time-range-picker.module.css';

export type { DateTimeRange } from '@/lib/time/date-time-range';

type End = 'start' | 'end';

const noSubscription = () => () => {};
const readBrowserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

/**
 * A start/end date-time range: typed as "2026-11-01 00:00" or picked on a calendar, in a time zone shown
 * beside each field (UTC unless the user picks the browser's zone), with presets. It emits UTC instants; with
 * `names` it also writes them as ISO 8601 into hidden inputs, so a plain form (GET or action) submits UTC.
 * While a field holds text that is not a time, or the start is not before the end, the field is invalid and
 * its form does not submit; the server stays the authority on everything else (e.g. the allowed years).
 */
export function DateTimeRangePicker({
  value,
  onChange,
  labels = { start: 'From', end: 'To' },
  names,
  hint,
  describedBy,
}: {
  value: DateTimeRange;
  onChange: (value: DateTimeRange) => void;
  labels?: { start: string; end: string };
  /** Hidden inputs' names for form submission, e.g. { start: 'from', end: 'to', zone: 'zone' }. */
  names?: { start: string; end: string; zone?: string };
  /** What the range allows or means (e.g. "The end is not included; years 1900 to 9999."). */
  hint?: string;
  /** An error shown elsewhere (e.g. the server's) that both fields should point to. */
  describedBy?: string;
}) {
  const id = useId();
  // The browser's zone is unknown on the server: it joins the list after hydration, so both render alike.
  const browserZone = useSyncExternalStore(noSubscription, readBrowserZone, () => undefined);
  const zones = zoneChoices(browserZone);
  if (!zones.includes(value.zone)) zones.push(value.zone);

  const text = (instant: Date | null) => (instant ? formatLocalDateTime(instant, value.zone) : '');
  const [typed, setTyped] = useState({ start: text(value.start), end: text(value.end) });
  const [typingErrors, setTypingErrors] = useState<Partial<Record<End, string>>>({});
  const shown = useRef({ start: value.start, end: value.end, zone: value.zone });
  // Presets, the calendar and a zone change rewrite the text; typing does not (it is already the text).
  useEffect(() => {
    const last = shown.current;
    const changed = (end: End) => last.zone !== value.zone || last[end]?.getTime() !== value[end]?.getTime();
    if (changed('start') || changed('end')) {
      setTyped((t) => ({ start: changed('start') ? text(value.start) : t.start, end: changed('end') ? text(value.end) : t.end }));
      setTypingErrors({});
    }
    shown.current = { start: value.start, end: value.end, zone: value.zone };
    // `text` is a new function each render but reads only value.zone; the instants are compared by value.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [value.start, value.end, value.zone]);

  // Typed text is already what the field shows: remember its instant so the effect above leaves the text be.
  const emitTyped = (next: DateTimeRange) => {
    shown.current = { start: next.start, end: next.end, zone: next.zone };
    onChange(next);
  };
  const emit = onChange;
  const type = (end: End, raw: string) => {
    setTyped((t) => ({ ...t, [end]: raw }));
    const parsed = raw.trim() ? parseLocalDateTime(raw, value.zone) : null;
    if (typeof parsed === 'string') {
      setTypingErrors((e) => ({ ...e, [end]: e[end] ? `${labels[end]}: ${parsed}` : undefined }));
      return;
    }
    setTypingErrors((e) => ({ ...e, [end]: undefined }));
    emitTyped({ ...value, [end]: parsed });
  };
  const check = (end: End) => {
    const raw = typed[end];
    const parsed = raw.trim() ? parseLocalDateTime(raw, value.zone) : null;
    setTypingErrors((e) => ({ ...e, [end]: typeof parsed === 'string' ? `${labels[end]}: ${parsed}` : undefined }));
  };
  const rangeErrors = validateRange(value, labels);
  const errorOf = (end: End) => {
    const raw = typed[end];
    const parsed = raw.trim() ? parseLocalDateTime(raw, value.zone) : null;
    if (typeof parsed === 'string') return `${labels[end]}: ${parsed}`;
    return rangeErrors[end];
  };

  const pickDay = (end: End, day: Date) => {
    const current = value[end] ? new TZDate(value[end].getTime(), value.zone) : null;
    const inZone = new TZDate(day.getTime(), value.zone);
    const picked = new TZDate(inZone.getFullYear(), inZone.getMonth(), inZone.getDate(), current?.getHours() ?? 0, current?.getMinutes() ?? 0, current?.getSeconds() ?? 0, value.zone);
    emit({ ...value, [end]: new Date(picked.getTime()) });
  };

  const field = (end: End) => {
    const inputId = `${id}-${end}`;
    const error = errorOf(end);
    const visibleError = end === 'start' ? typingErrors.start : typingErrors.end ?? rangeErrors.end;
    const describe = [`${id}-format`, visibleError ? `${inputId}-error` : null, describedBy].filter(Boolean).join(' ');
    return (
      <div className={`field ${styles.field}`}>
        <label htmlFor={inputId}>
          {labels[end]} ({value.zone})
        </label>
        <div className={styles.inputRow}>
          <input
            id={inputId}
            value={typed[end]}
            placeholder="YYYY-MM-DD HH:mm"
            inputMode="numeric"
            autoComplete="off"
            spellCheck={false}
            aria-invalid={visibleError || describedBy ? true : undefined}
            aria-describedby={describe}
            ref={(input) => input?.setCustomValidity(error ?? '')}
            onChange={(e) => type(end, e.target.value)}
            onBlur={() => check(end)}
          />
          <CalendarButton
            label={`Choose ${labels[end]} date`}
            selected={value[end] ?? undefined}
            zone={value.zone}
            onSelect={(day) => pickDay(end, day)}
          />
        </div>
        {visibleError ? (
          <p id={`${inputId}-error`} className="field-error" role="alert">
            {visibleError}
          </p>
        ) : null}
        {names ? <input type="hidden" name={names[end]} value={value[end]?.toISOString() ?? ''} /> : null}
      </div>
    );
  };

  return (
    <fieldset className={styles.picker}>
      <legend className="sr-only">
        {labels.start} and {labels.end}
      </legend>
      {field('start')}
      {field('end')}
      <div className={`field ${styles.field}`}>
        <label htmlFor={`${id}-zone`}>Time zone</label>
        <select id={`${id}-zone`} value={value.zone} onChange={(e) => emit({ ...value, zone: e.target.value })}>
          {zones.map((zone) => (
            <option key={zone} value={zone}>
              {zone === 'UTC' ? 'UTC' : `${zone} (${zoneOffsetLabel(zone, value.start ?? new Date())})`}
            </option>
          ))}
        </select>
        {names?.zone ? <input type="hidden" name={names.zone} value={value.zone} /> : null}
      </div>
      <div className={styles.presets} role="group" aria-label="Presets">
        {PRESETS.map((preset) => (
          <button
            key={preset}
            type="button"
            className="button secondary"
            onClick={() => emit({ ...value, ...presetRange(preset, new Date(), value.zone) })}
          >
            {PRESET_LABELS[preset]}
          </button>
        ))}
      </div>
      <p id={`${id}-format`} className={`hint ${styles.hint}`}>
        Type times as 2026-11-01 00:00, in {value.zone}.{hint ? ` ${hint}` : ''}
      </p>
    </fieldset>
  );
}

function CalendarButton({ label, selected, zone, onSelect }: { label: string; selected: Date | undefined; zone: string; onSelect: (day: Date) => void }) {
  const [open, setOpen] = useState(false);
  return (
    <Popover
      open={open}
      onOpenChange={setOpen}
      label={label}
      trigger={
        <button type="button" className={styles.calendarButton} aria-label={label}>
          <CalendarDays aria-hidden size={18} />
        </button>
      }
    >
      <DayPicker
        mode="single"
        // Picking the chosen day again keeps it (and closes) rather than clearing the field.
        required
        timeZone={zone}
        selected={selected}
        defaultMonth={selected}
        autoFocus
        onSelect={(day) => {
          onSelect(day);
          setOpen(false);
        }}
      />
    </Popover>
  );
}
