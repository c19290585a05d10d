import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disconnectPrisma, getPrisma } from '@/lib/db/prisma';
import type { AppError } from '@/lib/errors';
import type { MeterProblem } from '@/lib/meters/problems';
import {
  createMeter,
  getMeterForEditor,
  listMeterVersions,
  listMeters,
  METER_HAS_ERRORS,
  restoreMeterVersion,
  saveMeterVersion,
} from '@/lib/meters/repository';
import { makeStore, makeTenant, scopeOf, unique } from '@/lib/testing/factories';
import { filterPipeline, ruleBreakingGraphs } from '@/lib/testing/rule-breaking-graphs';

type Tenant = Awaited<ReturnType<typeof makeTenant>>;
let a: Tenant;
let b: Tenant;
let target: { id: string; name: string };

const scopeA = () => scopeOf(a.workspace, a.editor, 'editor');
const failure = (promise: Promise<unknown>) => promise.then(() => null, (error: unknown) => error as AppError);
const pipeline = filterPipeline;
const newMeter = () => createMeter(scopeA(), { name: unique('Meter') });
const facts = async (meterId: string) => ({
  meter: await getPrisma().meter.findUniqueOrThrow({ where: { id: meterId }, select: { version: true, updatedBy: true } }),
  versions: await getPrisma().meterVersion.count({ where: { meterId } }),
  stores: await getPrisma().meterStore.findMany({ where: { meterId }, orderBy: { role: 'asc' }, select: { storeId: true, role: true } }),
});
const codes = (error: AppError | null) => ((error?.details.problems ?? []) as MeterProblem[]).filter((p) => p.severity === 'error').map((p) => p.code);

beforeAll(async () => {
  [a, b] = await Promise.all([makeTenant(), makeTenant()]);
  target = await makeStore(a.workspace.id, a.definition.id);
});
afterAll(() => disconnectPrisma());

describe('saveMeterVersion', () => {
  it('saves version 1 with its stores, audited; the editor and the list see it', async () => {
    const meter = await newMeter();
    expect(await saveMeterVersion(scopeA(), meter.id, 0, pipeline(a.store.id, target.id))).toEqual({ version: 1 });
    expect(await facts(meter.id)).toEqual({
      meter: { version: 1, updatedBy: a.editor.email },
      versions: 1,
      stores: [{ storeId: a.store.id, role: 'source' }, { storeId: target.id, role: 'target' }],
    });
    const opened = await getMeterForEditor(a.workspace.id, meter.id);
    expect(opened).toMatchObject({ id: meter.id, version: 1, updatedBy: a.editor.email, graph: pipeline(a.store.id, target.id) });
    const audit = await getPrisma().auditEvent.findFirstOrThrow({ where: { targetId: meter.id, action: 'meter.saved' } });
    expect(audit.details).toEqual({ name: meter.name, version: 1 });
    const listed = (await listMeters(a.workspace.id)).find((m) => m.id === meter.id);
    expect(listed).toMatchObject({ version: 1, sources: [{ id: a.store.id, name: a.store.name }], targets: [{ id: target.id, name: target.name }], lastRun: null });
  });

  const rules = () => ruleBreakingGraphs(a.store.id, target.id, b.store.id);
  it.each(['STORE_SOURCE_AND_TARGET', 'STORE_TARGET_TWICE', 'STORE_NOT_FOUND', 'NO_SOURCE', 'GRAPH_INVALID'])('refuses a graph with %s, naming the nodes, and stores nothing', async (code) => {
    const { graph, nodeIds } = rules().find((r) => r.code === code)!;
    const meter = await newMeter();
    await saveMeterVersion(scopeA(), meter.id, 0, pipeline(a.store.id, target.id));
    const before = await facts(meter.id);
    const error = await failure(saveMeterVersion(scopeA(), meter.id, 1, graph));
    expect(error).toMatchObject({ code: METER_HAS_ERRORS, status: 422 });
    expect(error!.userMessage).toMatch(new RegExp(`^“${meter.name}” was not saved: `));
    expect(codes(error)).toContain(code);
    const found = (error!.details.problems as MeterProblem[]).find((p) => p.code === code)!;
    expect([...found.nodeIds].sort()).toEqual(nodeIds);
    expect(await facts(meter.id)).toEqual(before);
  });

  it.each(['NO_TARGET', 'CYCLE', 'NODE_DISCONNECTED', 'PROCESSOR_WITHOUT_INPUT', 'TARGET_UNREACHABLE', 'EDGE_INVALID', 'CONFIG_INVALID', 'EXPRESSION', 'EVENT_TIME_UNMAPPED', 'MAPPING_INCOMPLETE', 'MAPPING_TYPE'])('refuses a graph with %s and stores nothing', async (code) => {
    const { graph } = rules().find((r) => r.code === code)!;
    const meter = await newMeter();
    const error = await failure(saveMeterVersion(scopeA(), meter.id, 0, graph));
    expect(error).toMatchObject({ code: METER_HAS_ERRORS, status: 422 });
    expect(codes(error)).toContain(code);
    expect(await facts(meter.id)).toEqual({ meter: { version: 0, updatedBy: a.editor.email }, versions: 0, stores: [] });
  });

  it('refuses a stale base version, naming who saved the newer one', async () => {
    const meter = await newMeter();
    await saveMeterVersion(scopeA(), meter.id, 0, pipeline(a.store.id, target.id));
    await saveMeterVersion(scopeOf(a.workspace, a.owner), meter.id, 1, pipeline(a.store.id, target.id));
    const before = await facts(meter.id);
    const error = await failure(saveMeterVersion(scopeA(), meter.id, 1, pipeline(a.store.id, target.id)));
    expect(error).toMatchObject({ code: 'STALE_VERSION', status: 409, details: { latestVersion: 2, savedBy: a.owner.email } });
    expect(error!.userMessage).toMatch(new RegExp(`^${a.owner.email} saved version 2 of “${meter.name}” at \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC, after the version 1 you started from\\. Reload`));
    expect(await facts(meter.id)).toEqual(before);
  });

  it('of concurrent saves from the same base, exactly one wins', async () => {
    const meter = await newMeter();
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => saveMeterVersion(scopeA(), meter.id, 0, pipeline(a.store.id, target.id))));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'STALE_VERSION' });
    expect((await facts(meter.id)).versions).toBe(1);
  });

  it("treats another workspace's meter as not found", async () => {
    const theirs = await createMeter(scopeOf(b.workspace, b.owner), { name: unique('Meter') });
    expect(await failure(saveMeterVersion(scopeA(), theirs.id, 0, pipeline(a.store.id, target.id)))).toMatchObject({ code: 'NOT_FOUND', status: 404 });
    expect(await getMeterForEditor(a.workspace.id, theirs.id)).toBeNull();
    expect(await listMeterVersions(a.workspace.id, theirs.id)).toEqual([]);
  });
});

describe('restoreMeterVersion', () => {
  it('brings an old graph back as a new version with its stores, audited', async () => {
    const other = await makeStore(a.workspace.id, a.definition.id);
    const meter = await newMeter();
    await saveMeterVersion(scopeA(), meter.id, 0, pipeline(a.store.id, target.id));
    await saveMeterVersion(scopeA(), meter.id, 1, pipeline(a.store.id, other.id));
    expect(await restoreMeterVersion(scopeA(), meter.id, 1, 2)).toEqual({ version: 3 });
    expect((await facts(meter.id)).stores).toEqual([{ storeId: a.store.id, role: 'source' }, { storeId: target.id, role: 'target' }]);
    expect((await getMeterForEditor(a.workspace.id, meter.id))!.graph).toEqual(pipeline(a.store.id, target.id));
    const versions = await listMeterVersions(a.workspace.id, meter.id);
    expect(versions.map((v) => [v.version, v.note])).toEqual([[3, 'Restored from version 1'], [2, ''], [1, '']]);
    const audit = await getPrisma().auditEvent.findFirstOrThrow({ where: { targetId: meter.id, action: 'meter.restored' } });
    expect(audit.details).toEqual({ name: meter.name, version: 3, restoredFrom: 1 });
  });

  it('refuses a stale base and a version that does not exist', async () => {
    const meter = await newMeter();
    await saveMeterVersion(scopeA(), meter.id, 0, pipeline(a.store.id, target.id));
    expect(await failure(restoreMeterVersion(scopeA(), meter.id, 1, 0))).toMatchObject({ code: 'STALE_VERSION' });
    expect(await failure(restoreMeterVersion(scopeA(), meter.id, 7, 1))).toMatchObject({ code: 'NOT_FOUND', userMessage: 'Version 7 of this meter was not found.' });
    expect((await facts(meter.id)).versions).toBe(1);
  });
});

describe('createMeter', () => {
  it('starts at version 0 with an empty graph, audited; names are unique per workspace', async () => {
    const name = unique('Meter');
    const meter = await createMeter(scopeA(), { name: ` ${name} `, description: 'Daily calls.' });
    expect(await getMeterForEditor(a.workspace.id, meter.id)).toMatchObject({ name, description: 'Daily calls.', version: 0, graph: { nodes: [], edges: [] } });
    expect((await listMeters(a.workspace.id)).find((m) => m.id === meter.id)).toMatchObject({ status: 'draft', sources: [], targets: [] });
    expect(await failure(createMeter(scopeA(), { name }))).toMatchObject({ code: 'NAME_TAKEN', status: 409 });
    await expect(createMeter(scopeOf(b.workspace, b.owner), { name })).resolves.toMatchObject({ name });
  });
});
