import { NextResponse } from 'next/server';

/**
 * Any /api/v1 path no route serves answers a JSON 404 in the API's error shape, not the console's HTML page,
 * so a client with a typo (or calling an API that has not landed yet) reads a message it can parse. It says
 * nothing about authentication: there is nothing here to protect.
 */
function notFound(request: Request): Response {
  const { pathname } = new URL(request.url);
  return NextResponse.json(
    { error: { code: 'NOT_FOUND', message: `There is no API at ${request.method} ${pathname}. See the README's REST API section for the routes there are.` } },
    { status: 404 },
  );
}

export const GET = notFound;
export const POST = notFound;
export const PUT = notFound;
export const PATCH = notFound;
export const DELETE = notFound;
