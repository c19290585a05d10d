/**
 * A wake-up call between parts of one process: a background loop registers what wakes it (`listen`), and
 * whoever has work for it calls `wake`. Kept on globalThis, not in a module variable: Next.js may load a
 * module once for the route handlers and once for instrumentation.ts, which starts the loops, and a module
 * variable set by the loop's copy was never seen by the route's (the relay then waited for its timer, up to a
 * second per POST, instead of being woken).
 */
export interface Wakeup {
  /** Calls the listener, if one is registered in this process. */
  wake(): void;
  /** Registers the listener (the last one wins); returns the function that removes it, if it is still the one. */
  listen(listener: () => void): () => void;
}

const listeners = ((globalThis as unknown as { processWakeups?: Map<string, () => void> }).processWakeups ??= new Map());

export function processWakeup(name: string): Wakeup {
  return {
    wake: () => listeners.get(name)?.(),
    listen(listener) {
      listeners.set(name, listener);
      return () => {
        if (listeners.get(name) === listener) listeners.delete(name);
      };
    },
  };
}
