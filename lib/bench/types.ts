import type pg from 'pg';
import type { PrismaClient } from '@/lib/db/prisma';

/** A lower bound a figure should reach, and how it was derived (e.g. "0.8x copy-limit, at least 40,000"). */
export interface Target {
  min: number;
  rule: string;
}

/** One measured number. `value` is null when the figure was skipped; `note` then says why. */
export interface Figure {
  suite: string;
  name: string;
  value: number | null;
  unit: string;
  target?: Target;
  note?: string;
}

/** What a suite runs against: the configured database, already migrated. */
export interface BenchContext {
  pool: pg.Pool;
  prisma: PrismaClient;
  /** Whether this run started the embedded PostgreSQL (a real server like any other: for labels only). */
  embedded: boolean;
  /** Progress lines (the bench prints them to stderr; tests may drop them). */
  log: (line: string) => void;
}

export interface Suite {
  name: string;
  description: string;
  run(context: BenchContext): Promise<Figure[]>;
}
