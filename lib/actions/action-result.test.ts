import { describe, expect, it } from 'vitest';
import { withoutFieldErrors, type ActionResult } from '@/lib/actions/action-result';

const refused: ActionResult<never> = {
  ok: false,
  message: 'Some fields need attention.',
  fieldErrors: { name: ['Use lowercase letters.'], definitionId: ['Choose a definition.'] },
  values: { name: 'Bad Name!' },
};

describe('withoutFieldErrors', () => {
  it('drops the errors of edited fields and keeps the others, with the message and the submitted values', () => {
    expect(withoutFieldErrors(refused, ['name'])).toEqual({ ...refused, fieldErrors: { definitionId: ['Choose a definition.'] } });
  });

  it('once every field with an error was edited, the refusal says nothing more', () => {
    expect(withoutFieldErrors(refused, ['name', 'definitionId', 'description'])).toEqual({ ...refused, fieldErrors: {}, message: '' });
  });

  it('keeps a refusal not tied to a field, a success, and a result with nothing edited as they are', () => {
    const down: ActionResult<never> = { ok: false, message: 'Something went wrong on our side.', fieldErrors: {} };
    expect(withoutFieldErrors(down, ['name'])).toBe(down);
    const ok: ActionResult<{ id: string }> = { ok: true, data: { id: 'x' } };
    expect(withoutFieldErrors(ok, ['name'])).toBe(ok);
    expect(withoutFieldErrors(refused, [])).toBe(refused);
    expect(withoutFieldErrors(null, ['name'])).toBeNull();
  });
});
