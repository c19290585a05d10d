import { describe, expect, it, vi } from 'vitest';

describe('processWakeup', () => {
  it('reaches a listener registered by another copy of the module (as Next.js loads one for routes and one for instrumentation)', async () => {
    const first = await import('@/lib/process-wakeup');
    vi.resetModules();
    const second = await import('@/lib/process-wakeup');
    expect(second).not.toBe(first);
    const woken = vi.fn();
    const stop = first.processWakeup('test-relay').listen(woken);
    second.processWakeup('test-relay').wake();
    expect(woken).toHaveBeenCalledTimes(1);
    stop();
    second.processWakeup('test-relay').wake();
    expect(woken).toHaveBeenCalledTimes(1);
  });

  it('keeps the newest listener when an older one stops', async () => {
    const { processWakeup } = await import('@/lib/process-wakeup');
    const older = vi.fn();
    const newer = vi.fn();
    const stopOlder = processWakeup('test-newest').listen(older);
    const stopNewer = processWakeup('test-newest').listen(newer);
    stopOlder();
    processWakeup('test-newest').wake();
    expect([older.mock.calls.length, newer.mock.calls.length]).toEqual([0, 1]);
    stopNewer();
  });
});
