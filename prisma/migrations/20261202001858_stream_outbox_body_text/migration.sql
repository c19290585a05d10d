-- A stream outbox row's body is published as it is and never queried by its fields: as text it is copied in
-- and out, where jsonb parsed each body on the way in and wrote it out again on the way to the relay (the
-- business events' messages, ~40 KB each: ~2.5 µs of PostgreSQL's time per change in npm run bench -- changes).
ALTER TABLE "stream_outbox" ALTER COLUMN "body" SET DATA TYPE TEXT;
