import { NextResponse } from 'next/server';
import { ZodError } from 'zod';
import type { WorkspaceScope } from '@/lib/auth/actor';
import { authenticateRequest, type RouteRequirement } from '@/lib/api/authenticate-request';
import { isStatementTimeout, STATEMENT_TIMEOUT_MESSAGE } from '@/lib/db/statement-timeout';
import { AppError, isAppError } from '@/lib/errors';
import { logger } from '@/lib/logger';

type Params = Record<string, string | string[] | undefined>;

/**
 * Wraps a REST route handler: authenticates (API key or session), checks scope or role, runs, and maps
 * errors to JSON `{ error: { code, message, fieldErrors?, details? } }` with the right status. Internals
 * never leak.
 */
export function apiRoute<P extends Params = Params>(
  need: RouteRequirement,
  handler: (request: Request, scope: WorkspaceScope, params: P) => Promise<unknown>,
) {
  return async (request: Request, context: { params: Promise<P> }): Promise<Response> => {
    try {
      const scope = await authenticateRequest(request, need);
      const result = await handler(request, scope, await context.params);
      return result instanceof Response ? result : NextResponse.json(result);
    } catch (error) {
      return errorResponse(error);
    }
  };
}

export function errorResponse(error: unknown): Response {
  if (isAppError(error)) {
    const body: Record<string, unknown> = { code: error.code, message: error.userMessage };
    if (Object.keys(error.fieldErrors).length) body.fieldErrors = error.fieldErrors;
    if (Object.keys(error.details).length) body.details = error.details;
    return NextResponse.json({ error: body }, { status: error.status });
  }
  if (error instanceof ZodError) {
    const fieldErrors: Record<string, string[]> = {};
    for (const issue of error.issues) (fieldErrors[issue.path.join('.') || '_body'] ??= []).push(issue.message);
    return NextResponse.json({ error: { code: 'INVALID_INPUT', message: 'Some fields need attention.', fieldErrors } }, { status: 400 });
  }
  if (isStatementTimeout(error)) {
    logger.warn({ err: error }, 'API route hit the statement timeout');
    return NextResponse.json({ error: { code: 'DATABASE_BUSY', message: STATEMENT_TIMEOUT_MESSAGE } }, { status: 503, headers: { 'Retry-After': '60' } });
  }
  logger.error({ err: error }, 'API route failed');
  return NextResponse.json({ error: { code: 'INTERNAL', message: 'Something went wrong on our side. Writes here are all-or-nothing per request, except event ingest, which stores in batches and is safe to send again.' } }, { status: 500 });
}

/** Largest JSON body a control-plane call (create a store, …) may send; event ingest streams and has its own limit. */
export const MAX_JSON_BODY_BYTES = 1024 * 1024;

/**
 * Parses a JSON body of at most MAX_JSON_BODY_BYTES (413 past it, checked while reading, so a client that
 * lies about or leaves out Content-Length cannot make the server buffer more), answering malformed JSON
 * with a 400 that says so.
 */
export async function readJson(request: Request, maxBytes = MAX_JSON_BODY_BYTES): Promise<unknown> {
  const text = await readText(request, maxBytes);
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError('INVALID_JSON', 'The request body is not valid JSON.', { status: 400 });
  }
}

/** The body as UTF-8 text, at most `maxBytes` (413 past it, counted while reading). */
export async function readText(request: Request, maxBytes: number): Promise<string> {
  return (await readBytes(request, maxBytes)).toString('utf8');
}

/**
 * The body's bytes, at most `maxBytes`: a Content-Length over the cap is refused before reading, and a
 * body without one (or lying about it) is cut off at the cap. Past it, `tooLarge()` (a 413 in the caller's
 * words; by default one naming the limit).
 */
export async function readBytes(request: Request, maxBytes: number, tooLarge = () => bodyTooLarge(maxBytes)): Promise<Buffer> {
  if (Number(request.headers.get('content-length') ?? 0) > maxBytes) throw tooLarge();
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (request.body) {
    const reader = request.body.getReader();
    for (let part = await reader.read(); !part.done; part = await reader.read()) {
      size += part.value.byteLength;
      if (size > maxBytes) {
        await reader.cancel();
        throw tooLarge();
      }
      chunks.push(part.value);
    }
  }
  return Buffer.concat(chunks);
}

const bodyTooLarge = (maxBytes: number) =>
  new AppError('PAYLOAD_TOO_LARGE', `The request body is larger than the limit of ${maxBytes.toLocaleString('en')} bytes.`, { status: 413 });
