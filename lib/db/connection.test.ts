import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { assertDatabaseReachable, describeDatabaseUrl } from '@/lib/db/connection';

describe('describeDatabaseUrl', () => {
  it('names host, port and database and never the password', () => {
    const d = describeDatabaseUrl('postgresql://app:s3cret@db.internal:6543/usage');
    expect(d).toEqual({ host: 'db.internal', port: 6543, database: 'usage', label: 'db.internal:6543/usage' });
    expect(JSON.stringify(d)).not.toContain('s3cret');
  });

  it('defaults the port to 5432', () => {
    expect(describeDatabaseUrl('postgres://localhost/x').port).toBe(5432);
  });

  it('rejects what is not a postgres URL with a message that says the expected form', () => {
    expect(() => describeDatabaseUrl('mysql://x')).toThrow(/must start with postgresql:\/\//);
    expect(() => describeDatabaseUrl('not a url')).toThrow(/postgresql:\/\/user@host:5432\/database/);
  });
});

describe('assertDatabaseReachable', () => {
  it('answers a closed port with one line naming host and port', async () => {
    const port = await closedPort();
    const error = await assertDatabaseReachable(`postgresql://postgres:pw@127.0.0.1:${port}/x`).catch((e) => e);
    expect(error.code).toBe('DATABASE_UNREACHABLE');
    expect(error.userMessage).toContain(`127.0.0.1:${port}`);
    expect(error.userMessage).toContain('connection refused');
    expect(error.userMessage).not.toContain('\n');
    expect(error.userMessage).not.toContain('pw');
  });

  it('passes against the test database', async () => {
    await expect(assertDatabaseReachable(process.env.DATABASE_URL!)).resolves.toBeUndefined();
  });
});

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
