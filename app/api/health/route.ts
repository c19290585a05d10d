import { NextResponse } from 'next/server';
import { checkHealth } from '@/lib/health/check-health';

export const dynamic = 'force-dynamic';

/** Liveness and readiness: 200 when the database answers and is migrated, 503 otherwise. Public by design. */
export async function GET() {
  const health = await checkHealth();
  return NextResponse.json(health, { status: health.status === 'ok' ? 200 : 503, headers: { 'Cache-Control': 'no-store' } });
}
