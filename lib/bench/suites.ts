import { backfillSuite } from '@/lib/bench/backfill-suite';
import { changesSuite } from '@/lib/bench/changes-suite';
import { expressionsSuite } from '@/lib/bench/expressions-suite';
import { ingestSuite } from '@/lib/bench/ingest-suite';
import { metersSuite } from '@/lib/bench/meters-suite';
import { replaySuite } from '@/lib/bench/replay-suite';
import { storesSuite } from '@/lib/bench/stores-suite';
import type { Suite } from '@/lib/bench/types';

/** Every suite `npm run bench` knows, in the order it runs them. A new suite is one more entry. */
export const SUITES: readonly Suite[] = [ingestSuite(), expressionsSuite(), storesSuite(), metersSuite(), replaySuite(), backfillSuite(), changesSuite()];
