'use client';

import { FieldError, fieldInvalid } from '@/components/ui/form-status';
import type { ActionResult } from '@/lib/actions/action-result';
import { dateFieldsOf, describeSchedule, type TriggerKind } from '@/lib/custom-events/date-triggers/date-schedule';

/** A date trigger's schedule as the form holds it (text, as the inputs do). */
export interface ScheduleDraft {
  dateField: string;
  days: string;
  direction: 'before' | 'after';
  time: string;
  timeZone: string;
}

export const DEFAULT_SCHEDULE: ScheduleDraft = { dateField: '', days: '30', direction: 'before', time: '06:00', timeZone: 'UTC' };

// Offered in the zone list; any IANA name may be typed.
const ZONES = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : ['UTC'];

/** "Fires: on a change | on a date" for the trigger form. */
export function TriggerKindField({ kind, onChange }: { kind: TriggerKind; onChange: (kind: TriggerKind) => void }) {
  return (
    <fieldset className="field">
      <legend>Fires</legend>
      <label className="radio">
        <input type="radio" name="kind" value="change" checked={kind === 'change'} onChange={() => onChange('change')} /> On a change of the object
      </label>
      <label className="radio">
        <input type="radio" name="kind" value="date" checked={kind === 'date'} onChange={() => onChange('date')} /> On a date: days before or after one of its date fields
      </label>
    </fieldset>
  );
}

/**
 * A date trigger's schedule: the date field (the base object's date and datetime fields), the days and
 * whether before or after, the local time and the time zone. Inputs are named `schedule.<field>`, the keys
 * of the server's field errors.
 */
export function DateScheduleFields({ baseObject, value, onChange, state }: { baseObject: string; value: ScheduleDraft; onChange: (value: ScheduleDraft) => void; state: ActionResult<unknown> | null }) {
  const fields = dateFieldsOf(baseObject);
  const set = (patch: Partial<ScheduleDraft>) => onChange({ ...value, ...patch });
  const days = Number(value.days);
  const summary = value.dateField && Number.isInteger(days) && days >= 0 ? describeSchedule(baseObject, { ...value, days }) : null;
  return (
    <fieldset className="field schedule-fields">
      <legend>Schedule</legend>
      <div className="field">
        <label htmlFor="schedule-date-field">Date field</label>
        <select id="schedule-date-field" name="schedule.dateField" value={value.dateField} onChange={(e) => set({ dateField: e.target.value })} aria-invalid={fieldInvalid(state, 'schedule.dateField')} aria-describedby="schedule-date-field-error">
          <option value="">Choose a date field</option>
          {fields.map((f) => (
            <option key={f.name} value={f.name}>
              {f.name}
            </option>
          ))}
        </select>
        <FieldError id="schedule-date-field-error" state={state} field="schedule.dateField" />
      </div>
      <div className="field">
        <label htmlFor="schedule-days">Days</label>
        <input id="schedule-days" name="schedule.days" type="number" min={0} max={3650} step={1} value={value.days} onChange={(e) => set({ days: e.target.value })} aria-invalid={fieldInvalid(state, 'schedule.days')} aria-describedby="schedule-days-error" />
        <FieldError id="schedule-days-error" state={state} field="schedule.days" />
      </div>
      <div className="field">
        <label htmlFor="schedule-direction">Before or after</label>
        <select id="schedule-direction" name="schedule.direction" value={value.direction} onChange={(e) => set({ direction: e.target.value as ScheduleDraft['direction'] })} aria-describedby="schedule-direction-error">
          <option value="before">Before the date</option>
          <option value="after">After the date</option>
        </select>
        <FieldError id="schedule-direction-error" state={state} field="schedule.direction" />
      </div>
      <div className="field">
        <label htmlFor="schedule-time">Time of day</label>
        <input id="schedule-time" name="schedule.time" type="time" value={value.time} onChange={(e) => set({ time: e.target.value })} aria-invalid={fieldInvalid(state, 'schedule.time')} aria-describedby="schedule-time-error" />
        <FieldError id="schedule-time-error" state={state} field="schedule.time" />
      </div>
      <div className="field">
        <label htmlFor="schedule-time-zone">Time zone</label>
        <input id="schedule-time-zone" name="schedule.timeZone" list="schedule-time-zones" value={value.timeZone} onChange={(e) => set({ timeZone: e.target.value })} aria-invalid={fieldInvalid(state, 'schedule.timeZone')} aria-describedby="schedule-time-zone-hint schedule-time-zone-error" />
        <datalist id="schedule-time-zones">
          {ZONES.map((zone) => (
            <option key={zone} value={zone} />
          ))}
        </datalist>
        <p id="schedule-time-zone-hint" className="hint">
          An IANA name such as Europe/Paris. The time and each record’s day are read in this zone.
        </p>
        <FieldError id="schedule-time-zone-error" state={state} field="schedule.timeZone" />
      </div>
      <FieldError id="schedule-error" state={state} field="schedule" />
      {summary ? <p className="hint">Fires {summary.charAt(0).toLowerCase() + summary.slice(1)}, once per record and date, for each record whose latest state meets the condition.</p> : null}
    </fieldset>
  );
}
