import type pg from 'pg';

/** Something that runs SQL: the pool, or a client the caller has inside a transaction (`BEGIN` sent). */
export type Db = pg.Pool | pg.ClientBase;

let savepoints = 0;

/**
 * Runs `work` atomically on one connection. Given the pool, it opens (and commits or rolls back) its own
 * transaction. Given a client, it joins the caller's transaction under a savepoint instead of nesting
 * one: a failure undoes only `work` and leaves the caller's transaction usable, and nothing `work` did
 * commits before the caller commits — so a run's batch, its checkpoint and its audit row commit together.
 * A client that is not inside a transaction is refused (its statements would each commit on their own,
 * and a lock taken to fence a write would be gone before the write).
 */
export async function inTransaction<T>(db: Db, work: (client: pg.ClientBase) => Promise<T>): Promise<T> {
  if (isPool(db)) {
    const client = await db.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
  const savepoint = `joined_${++savepoints}`;
  try {
    await db.query(`SAVEPOINT ${savepoint}`);
  } catch (error) {
    if ((error as { code?: string }).code === '25P01') {
      throw new Error('This write joins the caller’s transaction: send BEGIN on the client first, or pass the pool.', { cause: error });
    }
    throw error;
  }
  try {
    const result = await work(db);
    await db.query(`RELEASE SAVEPOINT ${savepoint}`);
    return result;
  } catch (error) {
    await db.query(`ROLLBACK TO SAVEPOINT ${savepoint}`).catch(() => undefined);
    throw error;
  }
}

/** The pool, not a client (duck-typed: a bundler may load two copies of `pg`, so `instanceof` can lie). */
export function isPool(db: Db): db is pg.Pool {
  return 'idleCount' in db && typeof (db as pg.Pool).connect === 'function';
}
