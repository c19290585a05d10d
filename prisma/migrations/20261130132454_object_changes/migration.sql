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

    CONSTRAINT "object_changes_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "object_changes_workspace_id_object_record_id_id_idx" ON "object_changes"("workspace_id", "object", "record_id", "id");

CREATE INDEX "object_changes_workspace_id_changed_at_idx" ON "object_changes"("workspace_id", "changed_at");

CREATE UNIQUE INDEX "object_changes_workspace_id_change_id_key" ON "object_changes"("workspace_id", "change_id");

ALTER TABLE "object_changes" ADD CONSTRAINT "object_changes_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;
