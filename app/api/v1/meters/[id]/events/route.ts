// The address the HTTP ingest panel shows (components/meters/panels/http-ingest-panel.tsx): the same
// handler as /api/v1/meters/{id}/ingest, so both names work.
export { POST } from '@/app/api/v1/meters/[id]/ingest/route';

export const dynamic = 'force-dynamic';
