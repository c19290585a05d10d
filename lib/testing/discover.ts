import { readdirSync } from 'node:fs';
import path from 'node:path';

/** Files under `dir` whose name is `fileName` (or matches it), as paths relative to the project root. */
export function findFiles(dir: string, fileName: string | RegExp): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (typeof fileName === 'string' ? entry.name === fileName : fileName.test(entry.name)) out.push(full);
    }
  };
  walk(dir);
  return out.sort();
}

/** `app/api/v1/event-stores/[id]/route.ts` → `/api/v1/event-stores/[id]`. */
export function routePathOf(file: string): string {
  return '/' + path.dirname(file).split(path.sep).slice(1).filter((s) => !/^\(.*\)$/.test(s)).join('/');
}
