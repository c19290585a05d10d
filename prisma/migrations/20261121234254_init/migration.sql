CREATE TABLE "workspaces" (
    "id" UUID NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "workspaces_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "event_definitions" (
    "id" UUID NOT NULL,
    "workspace_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "fields" JSONB NOT NULL,
    "event_id_field" TEXT NOT NULL,
    "event_time_field" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "event_definitions_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "event_stores" (
    "id" UUID NOT NULL,
    "workspace_id" UUID NOT NULL,
    "definition_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "event_stores_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "events" (
    "store_id" UUID NOT NULL,
    "event_id" TEXT NOT NULL,
    "event_time" TIMESTAMPTZ(3) NOT NULL,
    "payload" JSONB NOT NULL,
    "ingested_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "events_pkey" PRIMARY KEY ("store_id","event_id")
);

CREATE UNIQUE INDEX "workspaces_slug_key" ON "workspaces"("slug");

CREATE UNIQUE INDEX "event_definitions_workspace_id_name_key" ON "event_definitions"("workspace_id", "name");

CREATE INDEX "event_stores_definition_id_idx" ON "event_stores"("definition_id");

CREATE UNIQUE INDEX "event_stores_workspace_id_name_key" ON "event_stores"("workspace_id", "name");

CREATE INDEX "events_store_id_event_time_event_id_idx" ON "events"("store_id", "event_time", "event_id");

ALTER TABLE "event_definitions" ADD CONSTRAINT "event_definitions_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "event_stores" ADD CONSTRAINT "event_stores_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "event_stores" ADD CONSTRAINT "event_stores_definition_id_fkey" FOREIGN KEY ("definition_id") REFERENCES "event_definitions"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

ALTER TABLE "events" ADD CONSTRAINT "events_store_id_fkey" FOREIGN KEY ("store_id") REFERENCES "event_stores"("id") ON DELETE CASCADE ON UPDATE CASCADE;
