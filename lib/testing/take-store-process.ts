// A separate process that tries to take a store, for the race tests: prints "won" or "lost".
// It waits for the next whole 500 ms so two processes started together fire as close as possible.
// Usage: take-store-process.ts <storeId> <label> [writing|deleting]
import pg from 'pg';
import { takeStore, type HeldActivity } from '@/lib/event-store/store-status';

async function main() {
  const [storeId, label, activity = 'writing'] = process.argv.slice(2);
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  await new Promise((r) => setTimeout(r, 500 - (Date.now() % 500)));
  const lease = await takeStore(client, storeId!, activity as HeldActivity, label!);
  console.log(lease ? 'won' : 'lost');
  await client.end();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
