-- The meter canvas's Business Events source reads one event type in (changed_at, id) keyset order.
CREATE INDEX "business_events_workspace_id_event_type_changed_at_id_idx" ON "business_events"("workspace_id", "event_type", "changed_at", "id");
