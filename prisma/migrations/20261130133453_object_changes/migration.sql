CREATE TYPE "ObjectChangeType" AS ENUM ('INSERT', 'UPDATE', 'DELETE');

CREATE TABLE "object_changes" (
    "id" BIGSERIAL NOT NULL,
    "workspace_id" UUID NOT NULL,
    "source" TEXT NOT NULL,
    "change_id" TEXT,
    "object" TEXT NOT NULL,
    "record_id" TEXT NOT NULL,
    "change_type" "ObjectChangeType" NOT NULL,
    "current" JSONB NOT NULL,
    "previous" JSONB NOT NULL,
    "changed_fields" TEXT[],
    "changed_at" TIMESTAMPTZ(3) NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processed_at" TIMESTAMPTZ(3),

    CONSTRAINT "object_changes_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "business_events" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "workspace_id" UUID NOT NULL,
    "trigger_id" UUID,
    "trigger_version" INTEGER NOT NULL,
    "condition" TEXT NOT NULL,
    "event_type" TEXT NOT NULL,
    "change_id" BIGINT NOT NULL,
    "object" TEXT NOT NULL,
    "record_id" TEXT NOT NULL,
    "change_type" "ObjectChangeType" NOT NULL,
    "current" JSONB NOT NULL,
    "previous" JSONB NOT NULL,
    "changed_fields" TEXT[],
    "changed_at" TIMESTAMPTZ(3) NOT NULL,
    "processed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "business_events_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "object_changes_workspace_id_processed_at_id_idx" ON "object_changes"("workspace_id", "processed_at", "id");

CREATE INDEX "object_changes_workspace_id_object_record_id_id_idx" ON "object_changes"("workspace_id", "object", "record_id", "id");

CREATE INDEX "object_changes_workspace_id_changed_at_idx" ON "object_changes"("workspace_id", "changed_at");

CREATE UNIQUE INDEX "object_changes_workspace_id_change_id_key" ON "object_changes"("workspace_id", "change_id");

CREATE INDEX "business_events_change_id_idx" ON "business_events"("change_id");

CREATE INDEX "business_events_workspace_id_processed_at_id_idx" ON "business_events"("workspace_id", "processed_at" DESC, "id");

CREATE INDEX "business_events_workspace_id_record_id_idx" ON "business_events"("workspace_id", "record_id");

CREATE UNIQUE INDEX "business_events_trigger_id_change_id_key" ON "business_events"("trigger_id", "change_id");

ALTER TABLE "object_changes" ADD CONSTRAINT "object_changes_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "business_events" ADD CONSTRAINT "business_events_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "business_events" ADD CONSTRAINT "business_events_trigger_id_fkey" FOREIGN KEY ("trigger_id") REFERENCES "triggers"("id") ON DELETE SET NULL ON UPDATE CASCADE;

ALTER TABLE "business_events" ADD CONSTRAINT "business_events_change_id_fkey" FOREIGN KEY ("change_id") REFERENCES "object_changes"("id") ON DELETE CASCADE ON UPDATE CASCADE;
