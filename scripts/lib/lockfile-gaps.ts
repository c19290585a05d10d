import { readFileSync } from 'node:fs';

interface LockedPackage {
  optionalDependencies?: Record<string, string>;
}

/**
 * Optional dependencies (platform binaries such as @next/swc-darwin-arm64) that a package in
 * package-lock.json declares but the lockfile does not record. npm adds them on the next `npm install`,
 * so a fresh clone would see package-lock.json change; a lockfile written on one platform by an
 * `npm install` that pruned them is the usual cause. Returns "<package> -> <dependency>" for each gap.
 */
export function lockfileGaps(lockfilePath = 'package-lock.json'): string[] {
  const lock = JSON.parse(readFileSync(lockfilePath, 'utf8')) as { packages: Record<string, LockedPackage> };
  const gaps: string[] = [];
  for (const [location, pkg] of Object.entries(lock.packages)) {
    for (const dependency of Object.keys(pkg.optionalDependencies ?? {})) {
      if (!resolves(lock.packages, location, dependency)) gaps.push(`${location || '(root)'} -> ${dependency}`);
    }
  }
  return gaps;
}

/** Node's lookup: the package's own node_modules, then each enclosing node_modules up to the root. */
function resolves(packages: Record<string, LockedPackage>, location: string, dependency: string): boolean {
  let base = location;
  for (;;) {
    if (packages[`${base ? `${base}/` : ''}node_modules/${dependency}`]) return true;
    if (!base) return false;
    const cut = base.lastIndexOf('/node_modules/');
    base = cut === -1 ? '' : base.slice(0, cut);
  }
}
