-- Changes that wait for evaluation as a group: on the JetStream path, the changes one message of the changes
-- stream announces. A worker claims the group by deleting its one row, where a row per change in
-- pending_object_changes cost an insert and a delete each (~7 µs of PostgreSQL's time a change in
-- npm run bench -- changes). A change waits here or in pending_object_changes, never in both.
CREATE TABLE "pending_change_batches" (
    "first_id" BIGINT NOT NULL,
    "workspace_id" UUID NOT NULL,
    "ids" BIGINT[],
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "pending_change_batches_pkey" PRIMARY KEY ("first_id")
);

CREATE INDEX "pending_change_batches_workspace_id_first_id_idx" ON "pending_change_batches"("workspace_id", "first_id");

-- Deleted with its workspace, as pending_object_changes is: no foreign key (the writers lock the workspace once
-- per statement: lib/custom-events/changes/lock-references.ts), so the workspace's delete trigger does it.
CREATE OR REPLACE FUNCTION "workspace_deleted_drop_changes"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM "business_events" WHERE "workspace_id" = OLD."id";
    DELETE FROM "pending_change_batches" WHERE "workspace_id" = OLD."id";
    DELETE FROM "pending_object_changes" WHERE "workspace_id" = OLD."id";
    DELETE FROM "object_changes" WHERE "workspace_id" = OLD."id";
    RETURN NULL;
END $$;
