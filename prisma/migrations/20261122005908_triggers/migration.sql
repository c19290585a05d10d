CREATE TABLE "triggers" (
    "id" UUID NOT NULL,
    "workspace_id" UUID NOT NULL,
    "event_type" TEXT NOT NULL,
    "base_object" TEXT NOT NULL,
    "condition" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "active" BOOLEAN NOT NULL DEFAULT true,
    "samples" JSONB NOT NULL DEFAULT '[]',
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "triggers_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "triggers_workspace_id_base_object_idx" ON "triggers"("workspace_id", "base_object");

CREATE UNIQUE INDEX "triggers_workspace_id_event_type_key" ON "triggers"("workspace_id", "event_type");

ALTER TABLE "triggers" ADD CONSTRAINT "triggers_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;
