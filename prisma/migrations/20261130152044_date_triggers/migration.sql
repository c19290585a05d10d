CREATE TYPE "TriggerKind" AS ENUM ('change', 'date');

DROP INDEX "business_events_trigger_id_change_id_key";

ALTER TABLE "triggers" ADD COLUMN     "date_field" TEXT,
ADD COLUMN     "kind" "TriggerKind" NOT NULL DEFAULT 'change',
ADD COLUMN     "offset_days" INTEGER,
ADD COLUMN     "run_at" TEXT,
ADD COLUMN     "time_zone" TEXT;

ALTER TABLE "business_events" ADD COLUMN     "fire_date" DATE;

-- Events of change triggers are for the change's UTC day (storeBusinessEvents sets it from now on).
UPDATE "business_events" SET "fire_date" = ("changed_at" AT TIME ZONE 'UTC')::date;

CREATE TABLE "date_trigger_firings" (
    "trigger_id" UUID NOT NULL,
    "record_id" TEXT NOT NULL,
    "fire_date" DATE NOT NULL,
    "fired_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "date_trigger_firings_pkey" PRIMARY KEY ("trigger_id","record_id","fire_date")
);

CREATE TABLE "date_trigger_runs" (
    "trigger_id" UUID NOT NULL,
    "local_date" DATE NOT NULL,
    "fired" INTEGER NOT NULL,
    "done_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "date_trigger_runs_pkey" PRIMARY KEY ("trigger_id","local_date")
);

CREATE UNIQUE INDEX "business_events_trigger_id_change_id_fire_date_key" ON "business_events"("trigger_id", "change_id", "fire_date");

ALTER TABLE "date_trigger_firings" ADD CONSTRAINT "date_trigger_firings_trigger_id_fkey" FOREIGN KEY ("trigger_id") REFERENCES "triggers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "date_trigger_runs" ADD CONSTRAINT "date_trigger_runs_trigger_id_fkey" FOREIGN KEY ("trigger_id") REFERENCES "triggers"("id") ON DELETE CASCADE ON UPDATE CASCADE;
