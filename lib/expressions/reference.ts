import { Jexl } from 'jexl';
import { FUNCTIONS } from '@/lib/expressions/functions';

/**
 * The one jexl instance of the project: the reference our compiler is held to (differential tests,
 * benchmark). Same functions, registered as functions and as transforms. Never evaluate untrusted input
 * with it in production: its property access reaches prototypes (see semantics.ts).
 */
export function createReferenceJexl(): InstanceType<typeof Jexl> {
  const jexl = new Jexl();
  for (const spec of Object.values(FUNCTIONS)) {
    if (spec.special) continue;
    jexl.addFunction(spec.name, spec.impl as (...args: unknown[]) => unknown);
    jexl.addTransform(spec.name, spec.impl as (value: unknown, ...args: unknown[]) => unknown);
  }
  return jexl;
}
