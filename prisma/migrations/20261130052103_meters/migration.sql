CREATE TYPE "MeterStoreRole" AS ENUM ('source', 'target');

CREATE TABLE "meters" (
    "id" UUID NOT NULL,
    "workspace_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "version" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_by" TEXT NOT NULL,

    CONSTRAINT "meters_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "meter_versions" (
    "id" UUID NOT NULL,
    "meter_id" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "graph" JSONB NOT NULL,
    "note" TEXT NOT NULL DEFAULT '',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by" TEXT NOT NULL,

    CONSTRAINT "meter_versions_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "meter_stores" (
    "meter_id" UUID NOT NULL,
    "store_id" UUID NOT NULL,
    "role" "MeterStoreRole" NOT NULL,

    CONSTRAINT "meter_stores_pkey" PRIMARY KEY ("meter_id","store_id","role")
);

CREATE TABLE "usage_records" (
    "id" BIGSERIAL NOT NULL,
    "workspace_id" UUID NOT NULL,
    "meter_id" UUID NOT NULL,
    "unique_key" TEXT NOT NULL,
    "account_number" TEXT NOT NULL,
    "subscription_number" TEXT,
    "charge_number" TEXT,
    "unit_of_measure" TEXT NOT NULL,
    "quantity" DECIMAL NOT NULL,
    "start_date_time" TIMESTAMPTZ(3) NOT NULL,
    "end_date_time" TIMESTAMPTZ(3) NOT NULL,
    "run_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "usage_records_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "meters_workspace_id_name_key" ON "meters"("workspace_id", "name");

CREATE UNIQUE INDEX "meter_versions_meter_id_version_key" ON "meter_versions"("meter_id", "version");

CREATE INDEX "meter_stores_store_id_idx" ON "meter_stores"("store_id");

CREATE INDEX "usage_records_workspace_id_start_date_time_id_idx" ON "usage_records"("workspace_id", "start_date_time" DESC, "id" DESC);

CREATE INDEX "usage_records_workspace_id_account_number_start_date_time_i_idx" ON "usage_records"("workspace_id", "account_number", "start_date_time" DESC, "id" DESC);

CREATE INDEX "usage_records_meter_id_start_date_time_id_idx" ON "usage_records"("meter_id", "start_date_time" DESC, "id" DESC);

CREATE UNIQUE INDEX "usage_records_workspace_id_meter_id_unique_key_key" ON "usage_records"("workspace_id", "meter_id", "unique_key");

ALTER TABLE "meters" ADD CONSTRAINT "meters_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "meter_versions" ADD CONSTRAINT "meter_versions_meter_id_fkey" FOREIGN KEY ("meter_id") REFERENCES "meters"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "meter_stores" ADD CONSTRAINT "meter_stores_meter_id_fkey" FOREIGN KEY ("meter_id") REFERENCES "meters"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "meter_stores" ADD CONSTRAINT "meter_stores_store_id_fkey" FOREIGN KEY ("store_id") REFERENCES "event_stores"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "usage_records" ADD CONSTRAINT "usage_records_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "usage_records" ADD CONSTRAINT "usage_records_meter_id_fkey" FOREIGN KEY ("meter_id") REFERENCES "meters"("id") ON DELETE CASCADE ON UPDATE CASCADE;
