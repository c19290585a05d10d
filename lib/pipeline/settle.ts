/** A promise's outcome as a value: a prefetch that fails while nobody awaits it is not an unhandled rejection. */
export type Settled<T> = { value: T } | { error: unknown };
export const settle = <T>(promise: Promise<T>): Promise<Settled<T>> => promise.then((value) => ({ value }), (error: unknown) => ({ error }));
export function unwrap<T>(settled: Settled<T>): T {
  if ('error' in settled) throw settled.error;
  return settled.value;
}
