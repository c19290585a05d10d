CREATE TABLE "event_store_stats" (
    "store_id" UUID NOT NULL,
    "event_count" BIGINT NOT NULL DEFAULT 0,
    "earliest" TIMESTAMPTZ(3),
    "latest" TIMESTAMPTZ(3),

    CONSTRAINT "event_store_stats_pkey" PRIMARY KEY ("store_id")
);

CREATE TABLE "event_store_hours" (
    "store_id" UUID NOT NULL,
    "hour" TIMESTAMPTZ(3) NOT NULL,
    "event_count" BIGINT NOT NULL,

    CONSTRAINT "event_store_hours_pkey" PRIMARY KEY ("store_id","hour")
);

CREATE INDEX "events_payload_idx" ON "events" USING GIN ("payload" jsonb_path_ops);

ALTER TABLE "event_store_stats" ADD CONSTRAINT "event_store_stats_store_id_fkey" FOREIGN KEY ("store_id") REFERENCES "event_stores"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "event_store_hours" ADD CONSTRAINT "event_store_hours_store_id_fkey" FOREIGN KEY ("store_id") REFERENCES "event_stores"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Written by hand (Prisma cannot express triggers): the per-store stats above are kept by statement-level
-- triggers on "events", in the same statement as every insert, upsert (its INSERT and UPDATE parts),
-- replacement and delete, whichever code path writes. Each trigger folds its transition table into one
-- delta per (store, UTC hour) and hands it to event_stats_apply.

-- Applies one statement's deltas (parallel arrays, one entry per store and hour; n may be negative).
-- Locks per store in store order: the totals row first, which serializes the writers of one store from
-- here to their commit, then the hour rows in hour order; so two writers never wait on each other's rows
-- in opposite orders. A store being deleted (its totals row already gone) is skipped.
CREATE FUNCTION "event_stats_apply"(
    p_store UUID[], p_hour TIMESTAMPTZ[], p_n BIGINT[],
    p_added_min TIMESTAMPTZ[], p_added_max TIMESTAMPTZ[], p_removed_min TIMESTAMPTZ[], p_removed_max TIMESTAMPTZ[]
) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    s RECORD;
    cur RECORD;
    bound TIMESTAMPTZ;
    new_earliest TIMESTAMPTZ;
    new_latest TIMESTAMPTZ;
BEGIN
    FOR s IN
        SELECT d.store_id, sum(d.n) AS n, min(d.added_min) AS added_min, max(d.added_max) AS added_max,
               min(d.removed_min) AS removed_min, max(d.removed_max) AS removed_max
          FROM unnest(p_store, p_hour, p_n, p_added_min, p_added_max, p_removed_min, p_removed_max)
               AS d(store_id, hour, n, added_min, added_max, removed_min, removed_max)
         GROUP BY d.store_id
         ORDER BY d.store_id
    LOOP
        IF s.added_min IS NOT NULL THEN
            INSERT INTO "event_store_stats" ("store_id") VALUES (s.store_id) ON CONFLICT ("store_id") DO NOTHING;
        END IF;
        SELECT "event_count", "earliest", "latest" INTO cur FROM "event_store_stats" WHERE "store_id" = s.store_id FOR UPDATE;
        CONTINUE WHEN NOT FOUND;

        INSERT INTO "event_store_hours" AS h ("store_id", "hour", "event_count")
        SELECT s.store_id, d.hour, d.n
          FROM unnest(p_store, p_hour, p_n) AS d(store_id, hour, n)
         WHERE d.store_id = s.store_id AND d.n <> 0
         ORDER BY d.hour
        ON CONFLICT ("store_id", "hour") DO UPDATE SET "event_count" = h."event_count" + EXCLUDED."event_count";
        DELETE FROM "event_store_hours"
         WHERE "store_id" = s.store_id AND "event_count" = 0
           AND "hour" IN (SELECT d.hour FROM unnest(p_store, p_hour, p_n) AS d(store_id, hour, n) WHERE d.store_id = s.store_id AND d.n < 0);

        -- A removed event at a boundary: the new boundary is in the first (last) hour that still has events,
        -- found by one probe of the hour rows and one of the (store_id, event_time) index within that hour,
        -- so the cost does not depend on how many events were removed or how many remain.
        IF s.removed_min IS NOT NULL AND s.removed_min <= cur.earliest THEN
            SELECT "hour" INTO bound FROM "event_store_hours" WHERE "store_id" = s.store_id ORDER BY "hour" LIMIT 1;
            SELECT min("event_time") INTO new_earliest FROM "events"
             WHERE "store_id" = s.store_id AND "event_time" >= bound AND "event_time" < bound + interval '1 hour';
        ELSE
            new_earliest := least(cur.earliest, s.added_min);
        END IF;
        IF s.removed_max IS NOT NULL AND s.removed_max >= cur.latest THEN
            SELECT "hour" INTO bound FROM "event_store_hours" WHERE "store_id" = s.store_id ORDER BY "hour" DESC LIMIT 1;
            SELECT max("event_time") INTO new_latest FROM "events"
             WHERE "store_id" = s.store_id AND "event_time" >= bound AND "event_time" < bound + interval '1 hour';
        ELSE
            new_latest := greatest(cur.latest, s.added_max);
        END IF;

        UPDATE "event_store_stats"
           SET "event_count" = cur.event_count + s.n, "earliest" = new_earliest, "latest" = new_latest
         WHERE "store_id" = s.store_id;
    END LOOP;
END $$;

-- Inserted rows are added, deleted rows removed: both triggers name their transition table changed_rows.
CREATE FUNCTION "events_stats_after_insert_or_delete"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    added BOOLEAN := TG_OP = 'INSERT';
BEGIN
    PERFORM "event_stats_apply"(array_agg(store_id), array_agg(hour), array_agg(CASE WHEN added THEN n ELSE -n END),
                                array_agg(CASE WHEN added THEN lo END), array_agg(CASE WHEN added THEN hi END),
                                array_agg(CASE WHEN added THEN NULL ELSE lo END), array_agg(CASE WHEN added THEN NULL ELSE hi END))
       FROM (SELECT "store_id" AS store_id, date_trunc('hour', "event_time", 'UTC') AS hour, count(*) AS n,
                    min("event_time") AS lo, max("event_time") AS hi
               FROM changed_rows GROUP BY 1, 2) d
      HAVING count(*) > 0;
    RETURN NULL;
END $$;

-- An update (a replacement through the upsert, or any UPDATE) is its old rows removed and its new rows added;
-- a replacement within the same hour nets to zero and touches no hour row.
CREATE FUNCTION "events_stats_after_update"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM "event_stats_apply"(array_agg(store_id), array_agg(hour), array_agg(n),
                                array_agg(alo), array_agg(ahi), array_agg(rlo), array_agg(rhi))
       FROM (SELECT store_id, hour, sum(n) AS n, min(alo) AS alo, max(ahi) AS ahi, min(rlo) AS rlo, max(rhi) AS rhi
               FROM (SELECT "store_id" AS store_id, date_trunc('hour', "event_time", 'UTC') AS hour, 1 AS n,
                            "event_time" AS alo, "event_time" AS ahi, NULL::timestamptz AS rlo, NULL::timestamptz AS rhi
                       FROM new_rows
                     UNION ALL
                     SELECT "store_id", date_trunc('hour', "event_time", 'UTC'), -1,
                            NULL, NULL, "event_time", "event_time"
                       FROM old_rows) x
              GROUP BY 1, 2) d
      HAVING count(*) > 0;
    RETURN NULL;
END $$;

CREATE TRIGGER "events_stats_insert" AFTER INSERT ON "events"
    REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION "events_stats_after_insert_or_delete"();
CREATE TRIGGER "events_stats_update" AFTER UPDATE ON "events"
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "events_stats_after_update"();
CREATE TRIGGER "events_stats_delete" AFTER DELETE ON "events"
    REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION "events_stats_after_insert_or_delete"();

-- The events already stored, counted once. The triggers above were created first: their lock on "events"
-- holds writers off until this migration commits, so nothing written meanwhile is missed or counted twice.
INSERT INTO "event_store_hours" ("store_id", "hour", "event_count")
SELECT "store_id", date_trunc('hour', "event_time", 'UTC'), count(*) FROM "events" GROUP BY 1, 2;
INSERT INTO "event_store_stats" ("store_id", "event_count", "earliest", "latest")
SELECT "store_id", count(*), min("event_time"), max("event_time") FROM "events" GROUP BY 1;
