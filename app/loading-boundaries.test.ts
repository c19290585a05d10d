import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * A loading.tsx wraps its folder's page and every page below it in a Suspense boundary, so the response
 * starts streaming (status 200) before the page runs. A page below it that calls notFound() then answers
 * 200 with the not-found UI, not 404. Lists get their skeleton from a loading.tsx inside a route group
 * ("(list)"), and pages that look a record up stream behind their own <Suspense> after the check.
 */
const APP = path.join(import.meta.dirname);

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? files(full) : [full];
  });
}

const all = files(APP);
const pages = all.filter((f) => f.endsWith('/page.tsx'));
const loadings = all.filter((f) => f.endsWith('/loading.tsx'));

describe('loading boundaries', () => {
  it('no loading.tsx sits above a page that can answer 404', () => {
    const problems = loadings.flatMap((loading) => {
      const dir = path.dirname(loading);
      return pages
        .filter((page) => page.startsWith(dir + path.sep) && /\bnotFound\(\)/.test(readFileSync(page, 'utf8')))
        .map((page) => `${path.relative(APP, loading)} wraps ${path.relative(APP, page)}, which calls notFound()`);
    });
    expect(problems).toEqual([]);
  });

  // Pages with nothing slow to wait for: the form pages read only the session, and the edit pages'
  // one read is the existence check itself, which must finish before anything streams (see above).
  const NO_SKELETON_NEEDED = new Set([
    '(console)/custom-events/triggers/new/page.tsx',
    '(console)/custom-events/triggers/[id]/page.tsx',
    '(console)/custom-events/business-events/[id]/page.tsx',
    '(console)/custom-events/notifications/[id]/page.tsx',
    '(console)/custom-events/notifications/mail/[id]/page.tsx',
    '(console)/custom-events/connectors/new/page.tsx',
    '(console)/custom-events/connectors/[id]/page.tsx',
    '(console)/event-definitions/new/page.tsx',
    '(console)/event-definitions/[id]/edit/page.tsx',
  ]);

  it('every console page that reads the database shows a skeleton while it loads', () => {
    const missing = pages
      .filter((page) => page.includes(`${path.sep}(console)${path.sep}`) && /requirePageContext/.test(readFileSync(page, 'utf8')))
      .filter((page) => !NO_SKELETON_NEEDED.has(path.relative(APP, page)))
      .filter((page) => {
        const hasOwnSuspense = /<Suspense\b/.test(readFileSync(page, 'utf8'));
        const hasLoading = loadings.some((loading) => page.startsWith(path.dirname(loading) + path.sep));
        return !hasOwnSuspense && !hasLoading;
      })
      .map((page) => path.relative(APP, page));
    expect(missing).toEqual([]);
  });
});
