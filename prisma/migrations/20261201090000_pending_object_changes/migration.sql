-- Which object changes wait for evaluation moves from object_changes.processed_at to a narrow queue
-- (pending_object_changes). Marking a change processed rewrote its whole row (about 500 bytes) and an entry in
-- each of its indexes; deleting its queue row is a fraction of that, and a change evaluated as it is stored
-- (the Object Changes API without JetStream) never enters the queue at all.
CREATE TABLE "pending_object_changes" (
    "workspace_id" UUID NOT NULL,
    "id" BIGINT NOT NULL,

    CONSTRAINT "pending_object_changes_pkey" PRIMARY KEY ("workspace_id","id")
);

ALTER TABLE "pending_object_changes" ADD CONSTRAINT "pending_object_changes_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- What waited before waits now.
INSERT INTO "pending_object_changes" ("workspace_id", "id") SELECT "workspace_id", "id" FROM "object_changes" WHERE "processed_at" IS NULL;

DROP INDEX "object_changes_workspace_id_processed_at_id_idx";

ALTER TABLE "object_changes" DROP COLUMN "processed_at";
