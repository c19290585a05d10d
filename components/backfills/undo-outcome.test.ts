import { describe, expect, it } from 'vitest';
import { undoOutcome } from './undo-outcome';

describe('undoOutcome', () => {
  it('says what was restored', () => {
    expect(undoOutcome({ restored: 1, skipped: 0, skippedIds: [] })).toBe('Restored 1 event.');
    expect(undoOutcome({ restored: 1200, skipped: 0, skippedIds: [] })).toBe('Restored 1,200 events.');
  });

  it('names the skipped ids, and says when the list is cut', () => {
    expect(undoOutcome({ restored: 2, skipped: 1, skippedIds: ['e7'] })).toBe('Restored 2 events; skipped 1 whose id is stored again since (newer events, left alone): e7.');
    expect(undoOutcome({ restored: 0, skipped: 101, skippedIds: ['a', 'b'] })).toMatch(/skipped 101 .*: a, b, …\.$/);
  });
});
