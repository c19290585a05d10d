import type pg from 'pg';
import { LogicalReplicationService, PgoutputPlugin, type Pgoutput } from 'pg-logical-replication';
import { readObjectChange, type ObjectChange } from '@/lib/custom-events/changes/object-change';
import { insertObjectChanges } from '@/lib/custom-events/changes/receive-changes';
import { announceChanges } from '@/lib/custom-events/streaming/change-stream';
import { currentStreamingConfig } from '@/lib/custom-events/streaming/nats';
import { bigIntToLsn, lsnToBigInt, normalLsn } from '@/lib/custom-events/connectors/lsn';
import { rowToFields, type TableMapping } from '@/lib/custom-events/connectors/mappings';
import { BILLING_OBJECTS, findObject } from '@/lib/custom-events/object-model';
import { inTransaction } from '@/lib/db/transaction';
import { AppError } from '@/lib/errors';

/** What a capture session needs to know of its connector. */
export interface CaptureConnector {
  id: string;
  workspaceId: string;
  name: string;
  sourceUrl: string;
  publication: string;
  slot: string;
  mappings: TableMapping[];
}

export interface CaptureHooks {
  /** Replication has started (the source accepted START_REPLICATION). */
  onStart?: () => void;
  /** A source transaction's changes and position are committed locally, not yet acknowledged (tests kill here). */
  afterStore?: (commit: { commitLsn: string; changes: number }) => Promise<void> | void;
  /** A transaction was acknowledged to the source. */
  onAcknowledged?: (commit: { commitLsn: string; changes: number }) => void;
}

/** Most changes per insert statement inside one source transaction's local transaction. */
const INSERT_CHUNK = 5_000;

interface OpenTransaction {
  commitLsn: string;
  time: string;
  changes: ObjectChange[];
}

/**
 * One replication session of a connector: streams its slot from the last acknowledged position and, per
 * committed source transaction, stores the transaction's changes (mapped to billing objects and checked like
 * API changes) together with the connector's position in ONE local transaction, and only then acknowledges
 * it to the source. A crash between the two replays the transaction, whose changes then meet the stored
 * position (skipped) or their change ids (`<connector>:<commit LSN>:<n>`, unique per workspace): nothing
 * twice. Keepalives are answered with the last stored position, or the server's position when nothing is
 * in flight (so the slot does not hold back WAL). Resolves when `signal` aborts; rejects on any failure
 * (the runner reconnects with backoff). `onChanges` is told after each acknowledged transaction with changes.
 */
export async function captureSession(
  connector: CaptureConnector,
  pool: pg.Pool,
  signal: AbortSignal,
  options: { hooks?: CaptureHooks; onChanges?: () => void } = {},
): Promise<void> {
  if (signal.aborted) return;
  const service = new LogicalReplicationService(
    { connectionString: connector.sourceUrl, connectionTimeoutMillis: 10_000 },
    { acknowledge: { auto: false, timeoutSeconds: 0 }, flowControl: { enabled: true } },
  );
  const plugin = new PgoutputPlugin({ protoVersion: 1, publicationNames: [connector.publication] });
  const byTable = new Map(connector.mappings.map((m) => [m.table, m]));
  let failure: unknown = null;
  let open: OpenTransaction | null = null;
  let acknowledged = 0n;
  const fail = (error: unknown) => {
    failure ??= error;
    void service.stop();
  };
  // The library's flow-control queue is private; nothing queued or running means nothing is unprocessed.
  const internals = service as unknown as { _messageQueue: unknown[]; _processing: boolean };
  const idle = () => open === null && internals._messageQueue.length === 0 && !internals._processing;

  service.on('start', () => options.hooks?.onStart?.());
  service.on('error', fail);
  service.on('heartbeat', (walEnd: string, _time: number, _shouldRespond: boolean) => {
    if (failure) return;
    const end = lsnToBigInt(walEnd);
    const position = idle() && end > acknowledged ? end : acknowledged;
    if (position > 0n) void service.acknowledge(bigIntToLsn(position)).catch(fail);
  });
  service.on('data', async (_lsn: string, message: Pgoutput.Message) => {
    if (failure) return;
    switch (message.tag) {
      case 'begin':
        open = { commitLsn: normalLsn(message.commitLsn!), time: microsToIso(message.commitTime), changes: [] };
        return;
      case 'insert':
      case 'update':
      case 'delete': {
        const mapping = byTable.get(`${message.relation.schema}.${message.relation.name}`);
        if (mapping && open) open.changes.push(changeOf(mapping, message, open.time, open.changes.length));
        return;
      }
      case 'commit': {
        const tx = open;
        open = null;
        if (!tx) return;
        const end = lsnToBigInt(message.commitEndLsn!);
        const commit = { commitLsn: tx.commitLsn, changes: tx.changes.length };
        if (tx.changes.length > 0) {
          await storeTransaction(pool, connector, tx, end);
          await options.hooks?.afterStore?.(commit);
        }
        if (signal.aborted || failure) return;
        await service.acknowledge(bigIntToLsn(end));
        if (end > acknowledged) acknowledged = end;
        options.hooks?.onAcknowledged?.(commit);
        if (tx.changes.length > 0) options.onChanges?.();
        return;
      }
      default:
        return; // relation (the parser keeps it), type, origin, truncate (not a change of a record), message
    }
  });

  const onAbort = () => void service.stop();
  signal.addEventListener('abort', onAbort);
  try {
    await service.subscribe(plugin, connector.slot);
  } catch (error) {
    failure ??= error;
  } finally {
    signal.removeEventListener('abort', onAbort);
    await service.destroy().catch(() => undefined);
  }
  if (failure && !signal.aborted) throw failure;
}

/** One source row change as a checked object change (an AppError naming the table, row and field when refused). */
function changeOf(mapping: TableMapping, message: Pgoutput.MessageInsert | Pgoutput.MessageUpdate | Pgoutput.MessageDelete, time: string, seq: number): ObjectChange {
  const object = findObject(BILLING_OBJECTS, mapping.object)!;
  const current = message.tag === 'delete' ? {} : rowToFields(mapping, message.new, object);
  const previous = message.tag === 'insert' ? {} : rowToFields(mapping, message.old ?? message.key, object);
  const recordId = (message.tag === 'delete' ? previous.Id : (current.Id ?? previous.Id)) ?? null;
  const changeType = message.tag === 'insert' ? 'INSERT' : message.tag === 'update' ? 'UPDATE' : 'DELETE';
  const reading = readObjectChange({ object: object.name, recordId, changeType, current, previous, time }, seq);
  if (!reading.ok) {
    const { field, reason } = reading.refusal;
    const column = Object.entries(mapping.columns).find(([, f]) => field.endsWith(`.${f}`))?.[0];
    throw new AppError(
      'CAPTURE_REFUSED',
      `A ${changeType} of ${mapping.table}${recordId === null ? '' : ` (record ${String(recordId)})`} cannot be taken: ${reason}${column ? ` (column ${column})` : ''} Fix the mapping or the row; the connector retries from this transaction.`,
    );
  }
  return reading.change;
}

/** The transaction's changes and the connector's new position, in one local transaction; a replayed transaction changes nothing. */
async function storeTransaction(pool: pg.Pool, connector: CaptureConnector, tx: OpenTransaction, commitEnd: bigint): Promise<void> {
  await inTransaction(pool, async (client) => {
    const { rows } = await client.query<{ position: string | null; name: string }>(`SELECT position::text, name FROM connectors WHERE id = $1 FOR UPDATE`, [connector.id]);
    if (rows.length === 0) throw new AppError('CONNECTOR_GONE', 'The connector was deleted.');
    if (rows[0]!.position !== null && BigInt(rows[0]!.position) >= commitEnd) return;
    const items = tx.changes.map((change, seq) => ({ changeId: `${connector.id}:${tx.commitLsn}:${seq}`, change }));
    let stored = 0;
    const streaming = currentStreamingConfig();
    for (let i = 0; i < items.length; i += INSERT_CHUNK) {
      const chunk = items.slice(i, i + INSERT_CHUNK);
      // With JetStream: queued in groups and announced through the outbox, in this transaction, as the API's changes are.
      const inserted = await insertObjectChanges(client, connector.workspaceId, `cdc:${rows[0]!.name}`, chunk, { queue: !streaming });
      stored += inserted.stored.size;
      if (streaming) {
        const refs = chunk.flatMap((item, k) => (inserted.stored.has(inserted.ids[k]!) ? [{ id: inserted.ids[k]!, object: item.change.object, recordId: item.change.recordId }] : []));
        await announceChanges(client, streaming, connector.workspaceId, refs, 'cdc');
      }
    }
    await client.query(
      `UPDATE connectors SET position = $2::bigint, last_change_at = $3::timestamptz, changes_captured = changes_captured + $4 WHERE id = $1`,
      [connector.id, commitEnd.toString(), tx.time, stored],
    );
  });
}

// The library types commitTime as the wrapper `BigInt`; it is a bigint of microseconds since the Unix epoch.
function microsToIso(micros: unknown): string {
  return new Date(Number((micros as bigint) / 1000n)).toISOString();
}
