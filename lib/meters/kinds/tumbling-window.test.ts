import { describe, expect, it } from 'vitest';
import { MAX_WINDOW_AMOUNT, windowOf, WINDOW_UNITS, type WindowSize } from '@/lib/meters/kinds/tumbling-window';

// Zones with DST at 02:00 or 03:00, at midnight (Santiago, Havana), half-hour offsets and a 30-minute DST (Lord Howe).
const ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'America/Santiago', 'America/Havana', 'Asia/Kolkata', 'Australia/Lord_Howe', 'Pacific/Chatham', 'Asia/Tehran'];

function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('windowOf', () => {
  it('puts every instant in exactly one window: start ≤ t < end, and windows tile time without gaps', () => {
    const next = random(7);
    const from = Date.UTC(2025, 0, 1);
    const span = Date.UTC(2028, 0, 1) - from;
    for (let i = 0; i < 4_000; i++) {
      const zone = ZONES[i % ZONES.length]!;
      const unit = WINDOW_UNITS[Math.floor(next() * WINDOW_UNITS.length)]!;
      const size: WindowSize = { unit, amount: 1 + Math.floor(next() * Math.min(MAX_WINDOW_AMOUNT[unit], 30)) };
      const t = from + Math.floor(next() * span);
      const [start, end] = windowOf(t, size, zone);
      const label = `${new Date(t).toISOString()} ${size.amount} ${unit} ${zone}`;
      expect(start, label).toBeLessThanOrEqual(t);
      expect(end, label).toBeGreaterThan(t);
      expect(windowOf(start, size, zone), label).toEqual([start, end]);
      expect(windowOf(end, size, zone)[0], label).toBe(end);
      expect(windowOf(start - 1, size, zone)[1], label).toBe(start);
    }
  });

  it('holds every 10 minutes across the DST changes of zones that skip or repeat midnight', () => {
    const ranges: [string, number, number][] = [
      ['America/Santiago', Date.UTC(2026, 3, 3), Date.UTC(2026, 3, 7)],
      ['America/Santiago', Date.UTC(2026, 8, 4), Date.UTC(2026, 8, 8)],
      ['America/Havana', Date.UTC(2026, 2, 6), Date.UTC(2026, 2, 10)],
      ['America/Havana', Date.UTC(2026, 9, 30), Date.UTC(2026, 10, 3)],
      ['Australia/Lord_Howe', Date.UTC(2026, 3, 3), Date.UTC(2026, 3, 6)],
      ['Europe/Berlin', Date.UTC(2026, 2, 28), Date.UTC(2026, 2, 31)],
    ];
    const sizes: WindowSize[] = [{ amount: 1, unit: 'hour' }, { amount: 45, unit: 'minute' }, { amount: 1, unit: 'day' }, { amount: 1, unit: 'week' }, { amount: 1, unit: 'month' }];
    for (const [zone, from, to] of ranges) {
      for (const size of sizes) {
        for (let t = from; t < to; t += 600_000) {
          const [start, end] = windowOf(t, size, zone);
          const label = `${new Date(t).toISOString()} ${size.amount} ${size.unit} ${zone}`;
          expect(start <= t && t < end, label).toBe(true);
          expect(windowOf(end, size, zone)[0], label).toBe(end);
        }
      }
    }
  });
});
