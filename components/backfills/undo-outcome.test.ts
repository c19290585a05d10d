import { describe, expect, it } from 'vitest';
import { confirmShortfall, undoOutcome } from './undo-outcome';

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

describe('confirmShortfall', () => {
  it('is silent when the confirm deleted what the preview matched, or has not run', () => {
    expect(confirmShortfall({ matched: 3, deleted: 3 })).toBeNull();
    expect(confirmShortfall({ matched: 3, deleted: null })).toBeNull();
  });

  it('says how many matched rows were no longer there to delete', () => {
    expect(confirmShortfall({ matched: 3, deleted: 0 })).toBe(
      '3 of the 3 rows that matched at the preview no longer matched a stored event when you confirmed (deleted, or stored again with another event time, since the preview), so they were left alone.',
    );
    expect(confirmShortfall({ matched: 1200, deleted: 1199 })).toMatch(/^1 of the 1,200 rows/);
  });
});
