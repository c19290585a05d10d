CREATE TYPE "MeterRunStatus" AS ENUM ('queued', 'running', 'completed', 'failed', 'cancelled');

CREATE TABLE "meter_runs" (
    "id" UUID NOT NULL,
    "workspace_id" UUID NOT NULL,
    "meter_id" UUID NOT NULL,
    "meter_version" INTEGER NOT NULL,
    "scope" JSONB NOT NULL,
    "dry_run" BOOLEAN NOT NULL DEFAULT false,
    "error_policy" TEXT NOT NULL DEFAULT 'skip',
    "status" "MeterRunStatus" NOT NULL DEFAULT 'queued',
    "idempotency_key" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by" TEXT NOT NULL,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "heartbeat_at" TIMESTAMPTZ(3),
    "worker_id" TEXT,
    "cancel_requested_at" TIMESTAMPTZ(3),
    "estimate" JSONB,
    "progress" JSONB NOT NULL DEFAULT '{}',
    "report" JSONB,
    "error_count" INTEGER NOT NULL DEFAULT 0,
    "failure" TEXT,

    CONSTRAINT "meter_runs_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "meter_run_targets" (
    "run_id" UUID NOT NULL,
    "store_id" UUID NOT NULL,
    "lease_owner" TEXT NOT NULL,

    CONSTRAINT "meter_run_targets_pkey" PRIMARY KEY ("run_id","store_id")
);

CREATE TABLE "meter_run_errors" (
    "id" BIGSERIAL NOT NULL,
    "run_id" UUID NOT NULL,
    "node_id" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "record" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "meter_run_errors_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "meter_run_inputs" (
    "run_id" UUID NOT NULL,
    "file_name" TEXT NOT NULL,
    "content" BYTEA NOT NULL,

    CONSTRAINT "meter_run_inputs_pkey" PRIMARY KEY ("run_id")
);

CREATE TABLE "meter_ingest_records" (
    "id" BIGSERIAL NOT NULL,
    "meter_id" UUID NOT NULL,
    "node_id" TEXT NOT NULL,
    "record" JSONB NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "meter_ingest_records_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "meter_runs_workspace_id_created_at_id_idx" ON "meter_runs"("workspace_id", "created_at" DESC, "id" DESC);

CREATE INDEX "meter_runs_meter_id_created_at_id_idx" ON "meter_runs"("meter_id", "created_at" DESC, "id" DESC);

CREATE INDEX "meter_runs_status_heartbeat_at_idx" ON "meter_runs"("status", "heartbeat_at");

CREATE UNIQUE INDEX "meter_runs_workspace_id_idempotency_key_key" ON "meter_runs"("workspace_id", "idempotency_key");

CREATE INDEX "meter_run_targets_store_id_idx" ON "meter_run_targets"("store_id");

CREATE INDEX "meter_run_errors_run_id_id_idx" ON "meter_run_errors"("run_id", "id");

CREATE INDEX "meter_ingest_records_meter_id_id_idx" ON "meter_ingest_records"("meter_id", "id");

ALTER TABLE "meter_runs" ADD CONSTRAINT "meter_runs_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "meter_runs" ADD CONSTRAINT "meter_runs_meter_id_fkey" FOREIGN KEY ("meter_id") REFERENCES "meters"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "meter_run_targets" ADD CONSTRAINT "meter_run_targets_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "meter_runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "meter_run_targets" ADD CONSTRAINT "meter_run_targets_store_id_fkey" FOREIGN KEY ("store_id") REFERENCES "event_stores"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "meter_run_errors" ADD CONSTRAINT "meter_run_errors_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "meter_runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "meter_run_inputs" ADD CONSTRAINT "meter_run_inputs_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "meter_runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "meter_ingest_records" ADD CONSTRAINT "meter_ingest_records_meter_id_fkey" FOREIGN KEY ("meter_id") REFERENCES "meters"("id") ON DELETE CASCADE ON UPDATE CASCADE;
