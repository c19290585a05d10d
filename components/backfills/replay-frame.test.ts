import { describe, expect, it } from 'vitest';
import { replayFrame } from './replay-frame';

describe('replayFrame', () => {
  it('widens the span to whole minutes, never narrowing it', () => {
    expect(replayFrame({ from: '2026-03-01T10:15:30.500Z', to: '2026-03-01T12:00:00.001Z' })).toEqual({ from: '2026-03-01T10:15:00.000Z', to: '2026-03-01T12:01:00.000Z' });
  });

  it('keeps whole minutes as they are', () => {
    expect(replayFrame({ from: '2026-03-01T10:15:00.000Z', to: '2026-03-01T10:16:00.000Z' })).toEqual({ from: '2026-03-01T10:15:00.000Z', to: '2026-03-01T10:16:00.000Z' });
  });

  it('gives one event (to = its time + 1 ms) a frame of a minute that holds it', () => {
    expect(replayFrame({ from: '2026-03-01T10:15:00.000Z', to: '2026-03-01T10:15:00.001Z' })).toEqual({ from: '2026-03-01T10:15:00.000Z', to: '2026-03-01T10:16:00.000Z' });
  });
});
