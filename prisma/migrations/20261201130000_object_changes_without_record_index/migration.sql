-- object_changes loses its index by record (workspace, object, record, id). Every stored change inserted an
-- entry at a random place in it: about 5 µs a change on the way from the Object Changes API to business
-- events, on both paths (npm run bench -- changes). Its one reader was the daily date triggers' search for each
-- record's latest change, which reads every change of the object in any case: it now groups them by record in
-- one pass over the rows (max(id) per record, then each latest change by its primary key) instead of walking
-- this index (lib/custom-events/date-triggers/evaluate-date-triggers.ts).
DROP INDEX "object_changes_workspace_id_object_record_id_id_idx";
