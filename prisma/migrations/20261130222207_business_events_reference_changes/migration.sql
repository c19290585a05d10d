-- Business events stop copying their change: current, previous and changed_fields are read from the
-- object_changes row (change_id), the condition from trigger_versions (one row per trigger and version).
-- Nothing is lost: the copied columns equal the change's own (object changes are never rewritten), and each
-- distinct condition of the existing events is moved to trigger_versions below before its column goes.

CREATE TABLE "trigger_versions" (
    "id" BIGSERIAL NOT NULL,
    "workspace_id" UUID NOT NULL,
    "trigger_id" UUID,
    "version" INTEGER NOT NULL,
    "condition" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "trigger_versions_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "trigger_versions_workspace_id_idx" ON "trigger_versions"("workspace_id");

CREATE UNIQUE INDEX "trigger_versions_trigger_id_version_key" ON "trigger_versions"("trigger_id", "version");

ALTER TABLE "trigger_versions" ADD CONSTRAINT "trigger_versions_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "trigger_versions" ADD CONSTRAINT "trigger_versions_trigger_id_fkey" FOREIGN KEY ("trigger_id") REFERENCES "triggers"("id") ON DELETE SET NULL ON UPDATE CASCADE;

ALTER TABLE "business_events" ADD COLUMN "trigger_version_id" BIGINT;

-- Backfill: the conditions of events whose trigger still exists, one row per trigger and version ...
INSERT INTO "trigger_versions" ("workspace_id", "trigger_id", "version", "condition", "created_at")
SELECT DISTINCT ON ("trigger_id", "trigger_version") "workspace_id", "trigger_id", "trigger_version", "condition", "processed_at"
  FROM "business_events"
 WHERE "trigger_id" IS NOT NULL
 ORDER BY "trigger_id", "trigger_version", "processed_at";

UPDATE "business_events" e
   SET "trigger_version_id" = v."id"
  FROM "trigger_versions" v
 WHERE v."trigger_id" = e."trigger_id" AND v."version" = e."trigger_version";

-- ... and of events whose trigger was deleted (trigger_id null): one row per workspace, version and condition.
WITH orphans AS (
  SELECT DISTINCT "workspace_id", "trigger_version", "condition" FROM "business_events" WHERE "trigger_id" IS NULL
), moved AS (
  INSERT INTO "trigger_versions" ("workspace_id", "trigger_id", "version", "condition")
  SELECT "workspace_id", NULL, "trigger_version", "condition" FROM orphans
  RETURNING "id", "workspace_id", "version", "condition"
)
UPDATE "business_events" e
   SET "trigger_version_id" = m."id"
  FROM moved m
 WHERE e."trigger_id" IS NULL AND e."workspace_id" = m."workspace_id" AND e."trigger_version" = m."version" AND e."condition" = m."condition";

ALTER TABLE "business_events" ALTER COLUMN "trigger_version_id" SET NOT NULL;

-- The copies go; so do the foreign key to object_changes and its index (object changes are deleted only with
-- their workspace, whose cascade deletes the business events as well).
ALTER TABLE "business_events" DROP CONSTRAINT "business_events_change_id_fkey";

DROP INDEX "business_events_change_id_idx";

ALTER TABLE "business_events" DROP COLUMN "changed_fields",
DROP COLUMN "condition",
DROP COLUMN "current",
DROP COLUMN "previous";
