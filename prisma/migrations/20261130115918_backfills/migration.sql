CREATE TYPE "BackfillStatus" AS ENUM ('previewed', 'completed', 'undone', 'failed');

CREATE TABLE "backfills" (
    "id" UUID NOT NULL,
    "workspace_id" UUID NOT NULL,
    "store_id" UUID NOT NULL,
    "status" "BackfillStatus" NOT NULL DEFAULT 'previewed',
    "file_name" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "requested" INTEGER NOT NULL,
    "matched" INTEGER NOT NULL,
    "deleted" INTEGER,
    "frame_from" TIMESTAMPTZ(3),
    "frame_to" TIMESTAMPTZ(3),
    "restored" INTEGER,
    "skipped" INTEGER,
    "skipped_ids" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "lease_owner" TEXT,
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "confirmed_by" TEXT,
    "confirmed_at" TIMESTAMPTZ(3),
    "undone_by" TEXT,
    "undone_at" TIMESTAMPTZ(3),

    CONSTRAINT "backfills_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "backfill_rows" (
    "backfill_id" UUID NOT NULL,
    "line" INTEGER NOT NULL,
    "event_id" TEXT NOT NULL,
    "event_time" TIMESTAMPTZ(3) NOT NULL,
    "stored_event_time" TIMESTAMPTZ(3),
    "matched" BOOLEAN NOT NULL,

    CONSTRAINT "backfill_rows_pkey" PRIMARY KEY ("backfill_id","line")
);

CREATE TABLE "backfill_events" (
    "backfill_id" UUID NOT NULL,
    "event_id" TEXT NOT NULL,
    "event_time" TIMESTAMPTZ(3) NOT NULL,
    "payload" JSONB NOT NULL,
    "ingested_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "backfill_events_pkey" PRIMARY KEY ("backfill_id","event_id")
);

CREATE INDEX "backfills_store_id_created_at_id_idx" ON "backfills"("store_id", "created_at" DESC, "id" DESC);

CREATE INDEX "backfills_workspace_id_created_at_idx" ON "backfills"("workspace_id", "created_at" DESC);

CREATE INDEX "backfills_lease_owner_idx" ON "backfills"("lease_owner");

ALTER TABLE "backfills" ADD CONSTRAINT "backfills_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "backfills" ADD CONSTRAINT "backfills_store_id_fkey" FOREIGN KEY ("store_id") REFERENCES "event_stores"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "backfill_rows" ADD CONSTRAINT "backfill_rows_backfill_id_fkey" FOREIGN KEY ("backfill_id") REFERENCES "backfills"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "backfill_events" ADD CONSTRAINT "backfill_events_backfill_id_fkey" FOREIGN KEY ("backfill_id") REFERENCES "backfills"("id") ON DELETE CASCADE ON UPDATE CASCADE;
