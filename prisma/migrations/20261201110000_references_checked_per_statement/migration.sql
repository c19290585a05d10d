-- The changes path's tables lose their row-by-row foreign keys: object_changes and pending_object_changes to
-- workspaces, business_events to workspaces and triggers. A foreign key runs a query of its own for each
-- inserted row (three per change: about a third of PostgreSQL's time on the way from an object change to its
-- business event). The writers check each statement's references once instead, taking the same lock a foreign
-- key takes (FOR KEY SHARE on the workspace and the triggers: lib/custom-events/changes/lock-references.ts),
-- and the two triggers below do what the foreign keys' ON DELETE did.
ALTER TABLE "object_changes" DROP CONSTRAINT "object_changes_workspace_id_fkey";
ALTER TABLE "pending_object_changes" DROP CONSTRAINT "pending_object_changes_workspace_id_fkey";
ALTER TABLE "business_events" DROP CONSTRAINT "business_events_workspace_id_fkey";
ALTER TABLE "business_events" DROP CONSTRAINT "business_events_trigger_id_fkey";

-- ON DELETE CASCADE from workspaces. After the row is deleted, so a writer that holds the workspace's lock has
-- committed by then; each statement here sees what it wrote (its own snapshot, under READ COMMITTED).
-- business_events' own dependents (notification_deliveries) still cascade by their foreign keys.
CREATE FUNCTION "workspace_deleted_drop_changes"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM "business_events" WHERE "workspace_id" = OLD."id";
    DELETE FROM "pending_object_changes" WHERE "workspace_id" = OLD."id";
    DELETE FROM "object_changes" WHERE "workspace_id" = OLD."id";
    RETURN NULL;
END $$;

CREATE TRIGGER "workspace_deleted_drop_changes" AFTER DELETE ON "workspaces"
    FOR EACH ROW EXECUTE FUNCTION "workspace_deleted_drop_changes"();

-- ON DELETE SET NULL from triggers: a deleted trigger's business events stay, with its event type, version and
-- condition. Skipped when the trigger goes with its workspace (the workspace's row is gone by then): its events
-- are deleted next, so nulling them first would only rewrite them.
CREATE FUNCTION "trigger_deleted_keep_events"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM "workspaces" WHERE "id" = OLD."workspace_id") THEN
        UPDATE "business_events" SET "trigger_id" = NULL WHERE "trigger_id" = OLD."id";
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER "trigger_deleted_keep_events" AFTER DELETE ON "triggers"
    FOR EACH ROW EXECUTE FUNCTION "trigger_deleted_keep_events"();
