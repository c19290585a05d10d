CREATE TYPE "ConnectorDesiredState" AS ENUM ('running', 'stopped');

CREATE TYPE "ConnectorStatus" AS ENUM ('stopped', 'starting', 'running', 'error');

CREATE TABLE "connectors" (
    "id" UUID NOT NULL,
    "workspace_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "source_url" TEXT NOT NULL,
    "publication" TEXT NOT NULL,
    "slot" TEXT NOT NULL,
    "mappings" JSONB NOT NULL,
    "desired_state" "ConnectorDesiredState" NOT NULL DEFAULT 'running',
    "status" "ConnectorStatus" NOT NULL DEFAULT 'stopped',
    "last_error" TEXT,
    "last_error_at" TIMESTAMPTZ(3),
    "position" BIGINT,
    "lag_bytes" BIGINT,
    "last_change_at" TIMESTAMPTZ(3),
    "reported_at" TIMESTAMPTZ(3),
    "changes_captured" BIGINT NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "connectors_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "connectors_publication_key" ON "connectors"("publication");

CREATE UNIQUE INDEX "connectors_slot_key" ON "connectors"("slot");

CREATE UNIQUE INDEX "connectors_workspace_id_name_key" ON "connectors"("workspace_id", "name");

ALTER TABLE "connectors" ADD CONSTRAINT "connectors_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;
