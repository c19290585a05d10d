// The Content-Security-Policy of the console's pages, made per request by proxy.ts with a fresh nonce.
// Next.js reads the nonce from the request's policy and puts it on its own scripts (framework, page
// chunks, inline flight data), so no other inline script can run: an injected <script> or on* handler has
// no nonce. API responses and static files get fixed policies from next.config.js.

export interface PagePolicyOptions {
  /** A fresh, unguessable value per response (see newNonce). */
  nonce: string;
  /** `next dev`: React rebuilds server error stacks with eval in development (never in production). */
  development: boolean;
  /** The page compiles expressions in the browser (see pageNeedsEval). */
  allowEval?: boolean;
  /** Served over https: ask the browser to upgrade any http subresource. */
  https: boolean;
}

/** The policy of an HTML page (and of the RSC payloads requested from it). */
export function pageContentSecurityPolicy({ nonce, development, https, allowEval = false }: PagePolicyOptions): string {
  const directives = [
    "default-src 'self'",
    // 'strict-dynamic': chunks loaded by Next's nonced scripts are trusted; host allow-lists are ignored.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${development || allowEval ? " 'unsafe-eval'" : ''}`,
    // Inline styles stay allowed: Monaco adds <style> elements without a nonce and React renders style
    // attributes. Styles cannot run script; the script policy above is what stops injection.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    // The condition editor's Monaco worker: a same-origin module script, which the bundler may start
    // through a blob: URL.
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ];
  if (https) directives.push('upgrade-insecure-requests');
  return directives.join('; ');
}

// The trigger editor (new and edit): its test bench runs the condition in the browser with the expression
// compiler, which turns a parsed condition into one JavaScript function (new Function) so that the bench
// and the server evaluate with the very same code. Its generated text is a fixed vocabulary plus the
// user's names and texts as JSON-escaped literals (lib/expressions/codegen.ts). No other page evaluates.
const EVAL_PAGES = /^\/custom-events\/triggers\/[^/]+\/?$/;

/** Whether the page at `pathname` may use eval ('unsafe-eval'): the trigger editor's pages only. */
export function pageNeedsEval(pathname: string): boolean {
  return EVAL_PAGES.test(pathname);
}

/** 128 random bits, base64: a CSP nonce. */
export function newNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}
