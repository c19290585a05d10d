import { describe, expect, it } from 'vitest';
import { repeatWindow } from '@/lib/meters/kinds/processor-deduplicate';

const MINUTE = 60_000;

/** The rule without eviction: every kept key remembered forever. */
function naive(windowMs: number) {
  const kept = new Map<string, number>();
  return (key: string, time: number) => {
    const previous = kept.get(key);
    if (previous !== undefined && Math.abs(time - previous) < windowMs) return true;
    kept.set(key, time);
    return false;
  };
}

describe('repeatWindow (Deduplicate)', () => {
  it('lets keys go as event time passes them: memory is the keys of one window, however long the input', () => {
    const window = repeatWindow(10 * MINUTE);
    let peak = 0;
    // 100,000 records a second apart, each key recurring every 5,000 seconds: 600 distinct keys per window.
    for (let i = 0; i < 100_000; i++) {
      window.isRepeat(`k${i % 5_000}`, i * 1_000);
      peak = Math.max(peak, window.size);
    }
    expect(peak).toBeLessThanOrEqual(601);
  });

  it('answers exactly as the rule without eviction for input in time order', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    const evicting = repeatWindow(30 * MINUTE);
    const reference = naive(30 * MINUTE);
    let time = 0;
    for (let i = 0; i < 20_000; i++) {
      time += Math.floor(random() * 2 * MINUTE);
      const key = `k${Math.floor(random() * 50)}`;
      expect(evicting.isRepeat(key, time)).toBe(reference(key, time));
    }
    expect(evicting.size).toBeLessThanOrEqual(50);
  });

  it('still catches a repeat that arrives out of order within the window', () => {
    const window = repeatWindow(10 * MINUTE);
    expect(window.isRepeat('a', 20 * MINUTE)).toBe(false);
    expect(window.isRepeat('a', 15 * MINUTE)).toBe(true);
    expect(window.isRepeat('b', 15 * MINUTE)).toBe(false);
    expect(window.isRepeat('b', 24 * MINUTE)).toBe(true);
  });
});
