import { describe, expect, it } from 'vitest';
import { chosenRow } from '@/components/event-definitions/choose-field';

const row = (key: number, type: string) => ({ key, type });
const isDatetime = (r: { type: string }) => r.type === 'datetime';

describe('chosenRow', () => {
  it('picks the only datetime row when none was chosen, or the chosen one no longer fits', () => {
    expect(chosenRow([row(0, 'string'), row(3, 'datetime')], undefined, isDatetime)?.key).toBe(3);
    expect(chosenRow([row(0, 'string'), row(1, 'string'), row(3, 'datetime')], 1, isDatetime)?.key).toBe(3);
    expect(chosenRow([row(0, 'string'), row(3, 'datetime')], 7, isDatetime)?.key).toBe(3);
  });

  it("keeps the user's choice among several, and asks when there are several and no choice", () => {
    expect(chosenRow([row(1, 'datetime'), row(2, 'datetime')], 2, isDatetime)?.key).toBe(2);
    expect(chosenRow([row(1, 'datetime'), row(2, 'datetime')], undefined, isDatetime)).toBeUndefined();
    expect(chosenRow([row(1, 'string')], undefined, isDatetime)).toBeUndefined();
  });
});
