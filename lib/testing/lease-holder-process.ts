// A separate process that holds a store like a run or a backfill would, for the race tests. It takes the
// store and never renews (a process that stalled), then obeys one command per stdin line, each write under
// its lease:
//   append <from> <to>   appends events e<from> … e<to - 1>
//   delete <from> <to>   deletes them
//   exit
// It prints "took" (or "busy"), then "ok <count>" or "error <code>" per command.
// Usage: lease-holder-process.ts <storeId> <writing|deleting> <label> <leaseSeconds>
import readline from 'node:readline';
import { closePool, getPool } from '@/lib/db/pool';
import { appendEvents } from '@/lib/event-store/append-events';
import { deleteEvents } from '@/lib/event-store/delete-events';
import { takeStore, type HeldActivity } from '@/lib/event-store/store-status';

const ids = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `e${from + i}`);

async function main() {
  const [storeId, activity, label, leaseSeconds] = process.argv.slice(2);
  const pool = getPool();
  const lease = await takeStore(pool, storeId!, activity as HeldActivity, label!, Number(leaseSeconds));
  console.log(lease ? 'took' : 'busy');
  if (!lease) return;
  for await (const line of readline.createInterface({ input: process.stdin })) {
    const [command, from, to] = line.trim().split(' ');
    if (command === 'exit') break;
    const batch = ids(Number(from), Number(to));
    try {
      const count =
        command === 'append'
          ? (await appendEvents(pool, storeId!, batch.map((id) => ({ eventId: id, eventTime: new Date('2026-01-01T00:00:00Z'), payload: { id, by: label } })), { lease })).written
          : await deleteEvents(pool, storeId!, batch, { lease });
      console.log(`ok ${count}`);
    } catch (error) {
      console.log(`error ${(error as { code?: string }).code ?? (error as Error).message}`);
    }
  }
}

main()
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => closePool());
