import { describe, expect, it } from 'vitest';
import { describeMachineCosts, measureMachineCosts } from '@/lib/bench/machine-costs';

describe('machine costs', () => {
  it('measures a system call and a fresh page of memory on this machine', () => {
    const costs = measureMachineCosts();
    // Wide bounds: any machine CI runs on lies between a fast bare-metal server and a slow nested VM.
    expect(costs.syscallMicros).toBeGreaterThan(0.005);
    expect(costs.syscallMicros).toBeLessThan(100);
    if (process.platform === 'linux') {
      expect(costs.freshPageMicros).not.toBeNull();
      expect(costs.freshPageMicros!).toBeGreaterThan(0.01);
      expect(costs.freshPageMicros!).toBeLessThan(1000);
      // Touching a fresh page costs more than a system call: the kernel maps it and zeroes 4 KB.
      expect(costs.freshPageMicros!).toBeGreaterThan(costs.syscallMicros);
    }
  });

  it('says both in microseconds, and when the page was not measured', () => {
    expect(describeMachineCosts({ syscallMicros: 1.234, freshPageMicros: 13.71 })).toBe('a system call 1.23 µs, a fresh 4 KB page 13.7 µs');
    expect(describeMachineCosts({ syscallMicros: 0.09, freshPageMicros: null })).toBe('a system call 0.09 µs, a fresh 4 KB page not measured');
  });
});
