import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processChanges } from '@/lib/custom-events/changes/process-changes';
import { getBusinessEvent } from '@/lib/custom-events/changes/read-business-events';
import { receiveChanges } from '@/lib/custom-events/changes/receive-changes';
import { dueDays, evaluateDateTriggers, MAX_CATCH_UP_DAYS } from '@/lib/custom-events/date-triggers/evaluate-date-triggers';
import { startDateTriggerScheduler } from '@/lib/custom-events/date-triggers/scheduler';
import { createTrigger, updateTrigger } from '@/lib/custom-events/triggers/save-trigger';
import type { TriggerInputRaw } from '@/lib/custom-events/triggers/trigger-schema';
import { getPool } from '@/lib/db/pool';
import { disconnectPrisma, getPrisma } from '@/lib/db/prisma';
import { makeTenant, scopeOf } from '@/lib/testing/factories';

type Tenant = Awaited<ReturnType<typeof makeTenant>>;
const run = crypto.randomUUID().replace(/-/g, '').slice(0, 8);
let counter = 0;
const eventType = (prefix: string) => `${prefix}_${run}_${++counter}`;

const renewalDue = (overrides: Partial<TriggerInputRaw> = {}): TriggerInputRaw => ({
  eventType: eventType('RenewalDue'),
  baseObject: 'Subscription',
  condition: "Subscription.Status == 'Active'",
  kind: 'date',
  schedule: { dateField: 'termenddate', days: 30, direction: 'before', time: '06:00', timeZone: 'europe/paris' },
  ...overrides,
});

async function send(tenant: Tenant, changes: object[]) {
  const received = await receiveChanges(getPool(), scopeOf(tenant.workspace, tenant.owner), changes.map((c) => ({ time: '2026-12-01T00:00:00Z', ...c })));
  expect(received.rejected).toBe(0);
}
const events = async (triggerId: string) =>
  (
    await getPool().query(
      `SELECT b.record_id, to_char(b.fire_date, 'YYYY-MM-DD') AS fire_date, b.event_type, b.trigger_version, b.change_type, c.current
         FROM business_events b JOIN object_changes c ON c.id = b.change_id WHERE b.trigger_id = $1 ORDER BY b.fire_date, b.record_id`,
      [triggerId],
    )
  ).rows;

afterAll(() => disconnectPrisma());

describe('date triggers: saving', () => {
  let tenant: Tenant;
  beforeAll(async () => {
    tenant = await makeTenant();
  });

  it('stores the schedule with the canonical field and zone, the offset signed, and an empty condition as true', async () => {
    const created = await createTrigger(getPrisma(), scopeOf(tenant.workspace, tenant.owner), renewalDue({ condition: '' }));
    const row = await getPrisma().trigger.findUniqueOrThrow({ where: { id: created.id } });
    expect(row).toMatchObject({ kind: 'date', dateField: 'TermEndDate', offsetDays: -30, runAt: '06:00', timeZone: 'Europe/Paris', condition: 'true' });
  });

  it('refuses a date field the object does not have, or one that is not a date, naming the field', async () => {
    const scope = scopeOf(tenant.workspace, tenant.owner);
    const missing = await createTrigger(getPrisma(), scope, renewalDue({ schedule: { dateField: 'TermEnd', days: 1, direction: 'after', time: '06:00', timeZone: 'UTC' } })).catch((e) => e);
    expect(missing.issues.map((i: { path: string[]; message: string }) => [i.path.join('.'), i.message])).toEqual([
      ['schedule.dateField', 'Subscription has no field “TermEnd”. Did you mean TermEndDate?'],
    ]);
    const notDate = await createTrigger(getPrisma(), scope, renewalDue({ schedule: { dateField: 'Status', days: 1, direction: 'after', time: '25:00', timeZone: 'Mars/Olympus' } })).catch((e) => e);
    expect(Object.fromEntries(notDate.issues.map((i: { path: string[]; message: string }) => [i.path.join('.'), i.message]))).toEqual({
      'schedule.time': 'Give the local time it runs each day as HH:MM (24 hours), e.g. 06:00.',
      'schedule.timeZone': '“Mars/Olympus” is not a time zone name. Use an IANA name such as Europe/Paris, America/New_York or UTC.',
    });
    const wrongType = await createTrigger(getPrisma(), scope, renewalDue({ schedule: { dateField: 'Status', days: 1, direction: 'after', time: '06:00', timeZone: 'UTC' } })).catch((e) => e);
    expect(wrongType.issues[0].message).toMatch(/^Subscription\.Status is a string, not a date\. Choose one of its date fields: .*TermEndDate/);
    const noSchedule = await createTrigger(getPrisma(), scope, renewalDue({ schedule: undefined })).catch((e) => e);
    expect(noSchedule.issues[0].path).toEqual(['schedule']);
  });
});

describe('date triggers: firing', () => {
  let tenant: Tenant;
  let triggerId: string;
  const at = (iso: string) => ({ now: new Date(iso), workspaceId: tenant.workspace.id });

  beforeAll(async () => {
    tenant = await makeTenant();
    triggerId = (await createTrigger(getPrisma(), scopeOf(tenant.workspace, tenant.owner), renewalDue())).id;
    await send(tenant, [
      { object: 'Subscription', recordId: 'S1', changeType: 'INSERT', current: { Status: 'Active', TermEndDate: '2027-03-31' } },
      { object: 'Subscription', recordId: 'S2', changeType: 'INSERT', current: { Status: 'Cancelled', TermEndDate: '2027-03-31' } },
      { object: 'Subscription', recordId: 'S3', changeType: 'INSERT', current: { Status: 'Active', TermEndDate: '2027-03-31' } },
      { object: 'Subscription', recordId: 'S3', changeType: 'DELETE', previous: { Status: 'Active', TermEndDate: '2027-03-31' } },
      { object: 'Subscription', recordId: 'S5', changeType: 'INSERT', current: { Status: 'Active', TermEndDate: '2027-04-30' } },
      { object: 'Subscription', recordId: 'S5', changeType: 'UPDATE', current: { Status: 'Active', TermEndDate: '2027-03-31' }, previous: { Status: 'Active', TermEndDate: '2027-04-30' } },
      { object: 'Subscription', recordId: 'S6', changeType: 'INSERT', current: { Status: 'Active', TermEndDate: '2027-04-02' } },
    ]);
  });

  it('is not evaluated by change processing: a date trigger fires on its schedule only', async () => {
    await processChanges(getPool(), tenant.workspace.id);
    expect(await events(triggerId)).toEqual([]);
  });

  it('waits for the local time: at 05:30 in Paris (04:30 UTC) only the day before is due, and nothing is 30 days from it', async () => {
    expect(await evaluateDateTriggers(getPool(), at('2027-03-01T04:30:00Z'))).toEqual({ triggers: 1, days: 1, fired: 0 });
  });

  it('at 06:01 local fires once per record whose latest state has the date 30 days on and meets the condition', async () => {
    expect(await evaluateDateTriggers(getPool(), at('2027-03-01T05:01:00Z'))).toEqual({ triggers: 1, days: 1, fired: 2 });
    const fired = await events(triggerId);
    // S2 is cancelled, S3 deleted, S5's latest change moved its date here.
    expect(fired.map((e) => [e.record_id, e.fire_date])).toEqual([
      ['S1', '2027-03-01'],
      ['S5', '2027-03-01'],
    ]);
    expect(fired[1]).toMatchObject({ change_type: 'UPDATE', trigger_version: 1, current: { Status: 'Active', TermEndDate: '2027-03-31' } });
    // Its page says the date it fired for.
    const { rows } = await getPool().query(`SELECT id FROM business_events WHERE trigger_id = $1 AND record_id = 'S5'`, [triggerId]);
    expect(await getBusinessEvent(getPool(), tenant.workspace.id, rows[0].id)).toMatchObject({ firedFor: '2027-03-01', changeType: 'UPDATE', explanation: { value: true } });
  });

  it('does not fire again on a second run, nor after a restart (a new scheduler), nor with two running at once', async () => {
    expect(await evaluateDateTriggers(getPool(), at('2027-03-01T05:02:00Z'))).toEqual({ triggers: 1, days: 0, fired: 0 });
    const restarted = startDateTriggerScheduler({ timer: false, now: () => new Date('2027-03-01T09:00:00Z'), workspaceId: tenant.workspace.id });
    expect(await restarted.tick()).toEqual({ triggers: 1, days: 0, fired: 0 });
    await restarted.stop();
    const both = await Promise.all([evaluateDateTriggers(getPool(), at('2027-03-02T06:00:00Z')), evaluateDateTriggers(getPool(), at('2027-03-02T06:00:00Z'))]);
    expect(both.map((r) => r.days).sort()).toEqual([0, 1]);
    expect((await events(triggerId)).length).toBe(2);
  });

  it('catches up the days missed while nothing ran, firing each on its own date', async () => {
    // Last done: 03-02. Nothing ran on 03-03 (S6 was due then: 2027-04-02 minus 30 days) nor 03-04.
    const report = await evaluateDateTriggers(getPool(), at('2027-03-05T07:00:00Z'));
    expect(report).toEqual({ triggers: 1, days: 3, fired: 1 });
    expect((await events(triggerId)).map((e) => [e.record_id, e.fire_date])).toEqual([
      ['S1', '2027-03-01'],
      ['S5', '2027-03-01'],
      ['S6', '2027-03-03'],
    ]);
    const runs = await getPool().query(`SELECT to_char(local_date, 'YYYY-MM-DD') AS d, fired FROM date_trigger_runs WHERE trigger_id = $1 ORDER BY local_date`, [triggerId]);
    expect(runs.rows.map((r) => `${r.d}:${r.fired}`)).toEqual(['2027-02-28:0', '2027-03-01:2', '2027-03-02:0', '2027-03-03:1', '2027-03-04:0', '2027-03-05:0']);
  });

  it('fires again for the same latest change on another date once the trigger is edited (the event key has the date)', async () => {
    const scope = scopeOf(tenant.workspace, tenant.owner);
    await updateTrigger(getPrisma(), scope, triggerId, renewalDue({ eventType: (await getPrisma().trigger.findUniqueOrThrow({ where: { id: triggerId } })).eventType, schedule: { dateField: 'TermEndDate', days: 25, direction: 'before', time: '06:00', timeZone: 'Europe/Paris' } }));
    expect(await evaluateDateTriggers(getPool(), at('2027-03-06T07:00:00Z'))).toEqual({ triggers: 1, days: 1, fired: 2 });
    expect((await events(triggerId)).filter((e) => e.fire_date === '2027-03-06').map((e) => [e.record_id, e.trigger_version])).toEqual([
      ['S1', 2],
      ['S5', 2],
    ]);
  });
});

describe('date triggers: time zones', () => {
  it('uses the local date of the trigger’s zone, not UTC’s (Auckland is already on the next day)', async () => {
    const tenant = await makeTenant();
    const scope = scopeOf(tenant.workspace, tenant.owner);
    const onDay = await createTrigger(getPrisma(), scope, renewalDue({ condition: '', schedule: { dateField: 'TermEndDate', days: 0, direction: 'after', time: '00:30', timeZone: 'Pacific/Auckland' } }));
    // A datetime field: its day is read in the zone too (12:00 UTC on 03-01 is 01:00 on 03-02 in Auckland).
    const created = await createTrigger(getPrisma(), scope, {
      eventType: eventType('AccountDay'),
      baseObject: 'Account',
      condition: '',
      kind: 'date',
      schedule: { dateField: 'CreatedDate', days: 0, direction: 'after', time: '00:30', timeZone: 'Pacific/Auckland' },
    });
    await send(tenant, [
      { object: 'Subscription', recordId: 'NZ-UTC-DAY', changeType: 'INSERT', current: { TermEndDate: '2027-03-01' } },
      { object: 'Subscription', recordId: 'NZ-LOCAL-DAY', changeType: 'INSERT', current: { TermEndDate: '2027-03-02' } },
      { object: 'Account', recordId: 'A-NOON-UTC', changeType: 'INSERT', current: { CreatedDate: '2027-03-01T12:00:00Z' } },
      { object: 'Account', recordId: 'A-MORNING-UTC', changeType: 'INSERT', current: { CreatedDate: '2027-03-01T09:00:00Z' } },
    ]);
    // 11:45 UTC on 03-01 is 00:45 on 03-02 in Auckland (UTC+13): 03-02 is due there.
    expect(await evaluateDateTriggers(getPool(), { now: new Date('2027-03-01T11:45:00Z'), workspaceId: tenant.workspace.id })).toEqual({ triggers: 2, days: 2, fired: 2 });
    expect((await events(onDay.id)).map((e) => [e.record_id, e.fire_date])).toEqual([['NZ-LOCAL-DAY', '2027-03-02']]);
    expect((await events(created.id)).map((e) => [e.record_id, e.fire_date])).toEqual([['A-NOON-UTC', '2027-03-02']]);
  });

  it('lists the due days: the first run only the latest due day, a catch-up at most the window', () => {
    const trigger = { id: 't', run_at: '06:00', time_zone: 'America/New_York' };
    expect(dueDays({ ...trigger, last_done: null }, new Date('2027-07-01T09:59:00Z'))).toEqual(['2027-06-30']);
    expect(dueDays({ ...trigger, last_done: null }, new Date('2027-07-01T10:00:00Z'))).toEqual(['2027-07-01']);
    expect(dueDays({ ...trigger, last_done: '2027-07-01' }, new Date('2027-07-01T23:00:00Z'))).toEqual([]);
    expect(dueDays({ ...trigger, last_done: '2027-01-01' }, new Date('2027-07-01T10:00:00Z'))).toHaveLength(MAX_CATCH_UP_DAYS);
  });
});
