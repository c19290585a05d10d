-- A change's values (current, previous) become json instead of jsonb. They are stored as the Object Changes API
-- and change capture write them (JSON.stringify's text), read whole (evaluation, the business events' payload)
-- or by one field (->>, the date triggers), and never searched inside, so jsonb's binary form bought nothing:
-- building it cost PostgreSQL ~2.5 µs a change in the changes' COPY (100,000 of the bench's changes: 5.4-6.4 µs
-- a row as jsonb, 2.9-3.4 as json, PostgreSQL 15), and reading a change back wrote the binary form out as
-- text again. What changes for a reader: the keys come back in the order sent, not jsonb's sorted order.
ALTER TABLE "object_changes" ALTER COLUMN "current" SET DATA TYPE JSON,
ALTER COLUMN "previous" SET DATA TYPE JSON;

-- As before (20261201140000_object_changes_values_not_analyzed): no statistics of the values.
ALTER TABLE "object_changes" ALTER COLUMN "current" SET STATISTICS 0;
ALTER TABLE "object_changes" ALTER COLUMN "previous" SET STATISTICS 0;
