import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { receiveChanges } from '@/lib/custom-events/changes/receive-changes';
import { processChanges } from '@/lib/custom-events/changes/process-changes';
import { createTrigger } from '@/lib/custom-events/triggers/save-trigger';
import { getPool } from '@/lib/db/pool';
import { disconnectPrisma, getPrisma } from '@/lib/db/prisma';
import { startDeliveryWorker } from '@/lib/notifications/delivery-worker';
import { listEndpoints } from '@/lib/notifications/read-notifications';
import { createEndpoint, rotateSecret } from '@/lib/notifications/save-endpoint';
import { currentSecretsKey, openSecret, sealLegacySecrets, sealSecret } from '@/lib/security/secrets-at-rest';
import { makeTenant, scopeOf } from '@/lib/testing/factories';
import { startReceiver } from '@/lib/testing/webhook-receiver';

const KEY_A = Buffer.alloc(32, 1).toString('base64');
const KEY_B = Buffer.alloc(32, 2).toString('base64');
const SECRET = 'whsec_c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3I=';
const COLUMN = 'notification_endpoints.secret' as const;
const errorOf = (work: () => unknown) => {
  try {
    work();
  } catch (error) {
    return error as Error & { code?: string; userMessage?: string };
  }
  throw new Error('expected an error');
};

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});
afterAll(() => disconnectPrisma());

describe('sealing and opening a secret (AES-256-GCM)', () => {
  const env = { SECRETS_KEY: KEY_A };

  it('round-trips, with a fresh IV each time, and the stored value holds neither the secret nor a part of it', () => {
    const one = sealSecret(SECRET, COLUMN, env);
    const two = sealSecret(SECRET, COLUMN, env);
    expect(one).toMatch(/^v1:[0-9a-f]{8}:[A-Za-z0-9_-]+$/);
    expect(one).not.toBe(two);
    expect(one).not.toContain(SECRET.slice(6, 20));
    expect(openSecret(one, COLUMN, env)).toBe(SECRET);
    expect(openSecret(two, COLUMN, env)).toBe(SECRET);
  });

  it('detects tampering: a changed byte, a cut value, or a value moved to another column', () => {
    const sealed = sealSecret(SECRET, COLUMN, env);
    const payload = sealed.split(':')[2]!;
    const bytes = Buffer.from(payload, 'base64url');
    for (const at of [0, 14, bytes.length - 1]) {
      const altered = Buffer.from(bytes);
      altered[at]! ^= 1;
      const error = errorOf(() => openSecret(sealed.replace(payload, altered.toString('base64url')), COLUMN, env));
      expect(error.code).toBe('SECRET_UNREADABLE');
      expect(error.message).toContain('SECRETS_KEY');
      expect(error.message).not.toContain(SECRET);
    }
    expect(errorOf(() => openSecret(sealed.slice(0, 20), COLUMN, env)).code).toBe('SECRET_UNREADABLE');
    expect(errorOf(() => openSecret(sealed, 'connectors.source_url', env)).code).toBe('SECRET_UNREADABLE');
  });

  it('refuses a value sealed under another key with an error naming SECRETS_KEY, and opens it with SECRETS_KEY_PREVIOUS', () => {
    const sealed = sealSecret(SECRET, COLUMN, { SECRETS_KEY: KEY_B });
    const error = errorOf(() => openSecret(sealed, COLUMN, env));
    expect(error.code).toBe('SECRETS_KEY_WRONG');
    expect(error.message).toMatch(/another key .* than SECRETS_KEY/);
    expect(error.message).not.toContain(SECRET);
    expect(error.message).not.toContain(KEY_A);
    expect(openSecret(sealed, COLUMN, { SECRETS_KEY: KEY_A, SECRETS_KEY_PREVIOUS: KEY_B })).toBe(SECRET);
  });

  it('says what is wrong with a missing or malformed key, without showing it', () => {
    expect(errorOf(() => sealSecret(SECRET, COLUMN, {})).message).toMatch(/^SECRETS_KEY is not set/);
    const short = Buffer.alloc(16, 3).toString('base64');
    const error = errorOf(() => sealSecret(SECRET, COLUMN, { SECRETS_KEY: short }));
    expect(error.message).toMatch(/^SECRETS_KEY must be 32 random bytes in base64/);
    expect(error.message).not.toContain(short);
    expect(errorOf(() => openSecret(sealSecret(SECRET, COLUMN, { SECRETS_KEY: KEY_B }), COLUMN, { SECRETS_KEY: KEY_A, SECRETS_KEY_PREVIOUS: 'not base64!' })).message).toMatch(
      /^SECRETS_KEY_PREVIOUS must be 32 random bytes/,
    );
  });

  it('reads a value saved before encryption (no v1: prefix) as it is', () => {
    expect(openSecret(SECRET, COLUMN, env)).toBe(SECRET);
    expect(openSecret('postgresql://u:p@h/db', 'connectors.source_url', env)).toBe('postgresql://u:p@h/db');
  });
});

describe('webhook secrets in the database', () => {
  async function world() {
    const tenant = await makeTenant();
    const scope = scopeOf(tenant.workspace, tenant.owner);
    await createTrigger(getPrisma(), scope, { eventType: 'InvoicePosted', baseObject: 'Invoice', condition: "changed('Status') && Invoice.Status == 'Posted'" });
    const receiver = await startReceiver();
    cleanups.push(receiver.close);
    const endpoint = await createEndpoint(getPrisma(), scope, { channel: 'webhook', eventType: 'InvoicePosted', url: receiver.url });
    return { scope, workspaceId: tenant.workspace.id, receiver, endpoint };
  }
  const stored = async (id: string) => (await getPool().query<{ secret: string }>(`SELECT secret FROM notification_endpoints WHERE id = $1`, [id])).rows[0]!.secret;
  const fire = async (w: Awaited<ReturnType<typeof world>>, recordId: string) => {
    await receiveChanges(getPool(), w.scope, [{ object: 'Invoice', recordId, changeType: 'UPDATE', current: { Status: 'Posted' }, previous: { Status: 'Draft' }, time: '2026-11-30T09:00:00Z' }]);
    await processChanges(getPool(), w.workspaceId);
  };
  const deliver = (workspaceId: string) => {
    const worker = startDeliveryWorker({ pool: getPool(), appUrl: 'http://console.test', pollMs: 50, timeoutMs: 3_000, backoff: { baseMs: 100, maxMs: 1_000 }, workspaceIds: [workspaceId] });
    cleanups.unshift(() => worker.stop());
  };

  it('stores the secret encrypted; deliveries are signed with it and verify with standardwebhooks; rotation stores the new one encrypted', async () => {
    const w = await world();
    const sealed = await stored(w.endpoint.id);
    expect(sealed).toMatch(/^v1:/);
    expect(sealed).not.toContain(w.endpoint.secret!.slice(6));
    expect(openSecret(sealed, COLUMN)).toBe(w.endpoint.secret);
    expect((await listEndpoints(getPool(), w.workspaceId))[0]!.maskedSecret).toBe(`whsec_••••••••${w.endpoint.secret!.slice(-4)}`);
    await fire(w, 'I-1');
    deliver(w.workspaceId);
    await expect.poll(() => w.receiver.received.length, { timeout: 10_000 }).toBe(1);
    const got = w.receiver.received[0]!;
    expect(new Webhook(w.endpoint.secret!).verify(got.body, got.headers as Record<string, string>)).toMatchObject({ type: 'InvoicePosted' });
    const rotated = await rotateSecret(getPrisma(), w.scope, w.endpoint.id);
    expect(await stored(w.endpoint.id)).toMatch(/^v1:/);
    expect(openSecret(await stored(w.endpoint.id), COLUMN)).toBe(rotated.secret);
  });

  it('keeps a row saved before encryption working, and seals it on start (idempotently)', async () => {
    const w = await world();
    await getPool().query(`UPDATE notification_endpoints SET secret = $2 WHERE id = $1`, [w.endpoint.id, w.endpoint.secret]);
    expect((await listEndpoints(getPool(), w.workspaceId))[0]!.maskedSecret).toBe(`whsec_••••••••${w.endpoint.secret!.slice(-4)}`);
    await fire(w, 'I-2');
    deliver(w.workspaceId);
    await expect.poll(() => w.receiver.received.length, { timeout: 10_000 }).toBe(1);
    expect(new Webhook(w.endpoint.secret!).verify(w.receiver.received[0]!.body, w.receiver.received[0]!.headers as Record<string, string>)).toBeTruthy();

    expect(await sealLegacySecrets(getPool(), { workspaceIds: [w.workspaceId] })).toEqual({ sealed: 1, unreadable: 0, firstError: null });
    expect(await stored(w.endpoint.id)).toMatch(new RegExp(`^v1:${currentSecretsKey().id}:`));
    expect(openSecret(await stored(w.endpoint.id), COLUMN)).toBe(w.endpoint.secret);
    expect(await sealLegacySecrets(getPool(), { workspaceIds: [w.workspaceId] })).toMatchObject({ sealed: 0 });
  });

  it('re-seals rows of the previous key after a rotation of SECRETS_KEY', async () => {
    const w = await world();
    const rotated = { SECRETS_KEY: KEY_B, SECRETS_KEY_PREVIOUS: process.env.SECRETS_KEY };
    expect(await sealLegacySecrets(getPool(), { env: rotated, workspaceIds: [w.workspaceId] })).toMatchObject({ sealed: 1, unreadable: 0 });
    expect(await stored(w.endpoint.id)).toMatch(new RegExp(`^v1:${currentSecretsKey({ SECRETS_KEY: KEY_B }).id}:`));
    expect(openSecret(await stored(w.endpoint.id), COLUMN, { SECRETS_KEY: KEY_B })).toBe(w.endpoint.secret);
    // The database is shared with other test files and the e2e server: no row sealed under a key of this file stays.
    await getPool().query(`DELETE FROM notification_endpoints WHERE id = $1`, [w.endpoint.id]);
  });

  it('with the wrong SECRETS_KEY, a delivery fails with an attempt that names the variable, never the secret; the page masks without failing', async () => {
    const w = await world();
    // Sealed under a key this process does not have (as after SECRETS_KEY was changed without a rotation).
    await getPool().query(`UPDATE notification_endpoints SET secret = $2 WHERE id = $1`, [w.endpoint.id, sealSecret(w.endpoint.secret!, COLUMN, { SECRETS_KEY: KEY_B })]);
    expect((await listEndpoints(getPool(), w.workspaceId))[0]!.maskedSecret).toBe('whsec_•••••••• (cannot be decrypted with SECRETS_KEY)');
    await fire(w, 'I-3');
    deliver(w.workspaceId);
    const attempt = async () =>
      (await getPool().query<{ error: string }>(`SELECT a.error FROM notification_attempts a JOIN notification_deliveries d ON d.id = a.delivery_id WHERE d.workspace_id = $1`, [w.workspaceId])).rows[0]?.error;
    await expect.poll(attempt, { timeout: 10_000 }).toMatch(/another key .* than SECRETS_KEY/);
    expect(await attempt()).not.toContain(w.endpoint.secret!.slice(6));
    expect(w.receiver.received).toHaveLength(0);
    // Only rows no key opens: SECRETS_KEY is the wrong one, and the start stops saying so.
    await expect(sealLegacySecrets(getPool(), { workspaceIds: [w.workspaceId] })).rejects.toThrow(/another key .* than SECRETS_KEY/);
    // Beside rows SECRETS_KEY opens: the unreadable one is counted and left, the start goes on.
    await createEndpoint(getPrisma(), w.scope, { channel: 'webhook', eventType: 'InvoicePosted', url: w.receiver.url });
    expect(await sealLegacySecrets(getPool(), { workspaceIds: [w.workspaceId] })).toEqual({ sealed: 0, unreadable: 1, firstError: expect.stringMatching(/another key .* than SECRETS_KEY/) });
    await getPool().query(`DELETE FROM notification_endpoints WHERE id = $1`, [w.endpoint.id]);
  });
});
