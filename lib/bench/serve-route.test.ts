import { describe, expect, it } from 'vitest';
import { serveRoute } from '@/lib/bench/serve-route';

describe('serveRoute', () => {
  it('hands the handler a streamed web Request with its params, and sends the Response back', async () => {
    const server = await serveRoute(async (request, { params }) => {
      const { id } = await params;
      const lines = (await request.text()).split('\n').filter(Boolean).length;
      return Response.json({ id, lines, type: request.headers.get('content-type'), method: request.method }, { status: 201, headers: { 'x-bench': 'yes' } });
    }, /^\/things\/(?<id>[^/]+)\/events$/);
    try {
      const body = Array.from({ length: 20_000 }, (_, i) => JSON.stringify({ i })).join('\n');
      const response = await fetch(`${server.origin}/things/abc/events`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body });
      expect(response.status).toBe(201);
      expect(response.headers.get('x-bench')).toBe('yes');
      expect(await response.json()).toEqual({ id: 'abc', lines: 20_000, type: 'application/x-ndjson', method: 'POST' });
      expect((await fetch(`${server.origin}/elsewhere`)).status).toBe(404);
    } finally {
      await server.close();
    }
  });

  it('answers 500 with the message when the handler throws', async () => {
    const server = await serveRoute(async () => {
      throw new Error('boom');
    }, /^\/$/);
    try {
      const response = await fetch(server.origin);
      expect(response.status).toBe(500);
      expect(await response.text()).toContain('boom');
    } finally {
      await server.close();
    }
  });
});
