import { NextResponse, type NextRequest } from 'next/server';
import { RETURN_PATH_HEADER } from '@/lib/auth/return-path';
import { newNonce, pageContentSecurityPolicy, pageNeedsEval } from '@/lib/security/content-security-policy';

/**
 * Gives every page response a Content-Security-Policy with a fresh nonce. The policy also goes on the
 * request, where Next.js finds the nonce to put on its own scripts. The other security headers, and the
 * policies of API routes and static files, come from next.config.js. The page's path goes on the request
 * too, so a page that needs a session can send the user to sign in and back to it.
 */
export function proxy(request: NextRequest) {
  const policy = pageContentSecurityPolicy({
    nonce: newNonce(),
    development: process.env.NODE_ENV === 'development',
    allowEval: pageNeedsEval(request.nextUrl.pathname),
    https: request.nextUrl.protocol === 'https:' || (process.env.BETTER_AUTH_URL ?? '').startsWith('https://'),
  });
  const headers = new Headers(request.headers);
  headers.set('Content-Security-Policy', policy);
  // Overwrites whatever a client sent; read only by requirePageContext, and checked there again.
  headers.set(RETURN_PATH_HEADER, request.nextUrl.pathname + request.nextUrl.search);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set('Content-Security-Policy', policy);
  return response;
}

export const config = {
  // Pages only: API routes and Next's static files have fixed policies (next.config.js) and need no nonce.
  matcher: ['/((?!api/|_next/static/|_next/image).*)'],
};
