import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { defineAction, formDataToObject } from '@/lib/actions/define-action';
import { AppError } from '@/lib/errors';

const input = z.object({ name: z.string().min(1, 'Enter a name.'), count: z.coerce.number().int().positive('Enter a count above zero.') });
const allow = async () => ({ workspaceId: 'ws-1' });

describe('defineAction', () => {
  it('parses FormData, authorizes and returns the command result', async () => {
    const action = defineAction({ name: 't', input, authorize: allow, run: async (v, ctx) => `${v.name}:${v.count}:${ctx.workspaceId}` });
    const form = new FormData();
    form.set('name', 'meter');
    form.set('count', '3');
    expect(await action(null, form)).toEqual({ ok: true, data: 'meter:3:ws-1' });
  });

  it('names each invalid field and never runs the command', async () => {
    const run = vi.fn();
    const action = defineAction({ name: 't', input, authorize: allow, run });
    const result = await action(null, { name: '', count: -1 });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.fieldErrors.name).toEqual(['Enter a name.']);
    expect(result.fieldErrors.count).toEqual(['Enter a count above zero.']);
    expect(run).not.toHaveBeenCalled();
  });

  it('refuses before domain code runs when authorization fails', async () => {
    const run = vi.fn();
    const action = defineAction({
      name: 't',
      input,
      authorize: async () => {
        throw new AppError('FORBIDDEN', 'Viewers cannot run meters. Ask an owner for the editor role.', { status: 403 });
      },
      run,
    });
    expect(await action(null, { name: 'x', count: 1 })).toMatchObject({
      ok: false,
      message: 'Viewers cannot run meters. Ask an owner for the editor role.',
      fieldErrors: {},
    });
    expect(run).not.toHaveBeenCalled();
  });

  it('shows an AppError as its user message with its field errors', async () => {
    const action = defineAction({
      name: 't',
      input,
      authorize: allow,
      run: async () => {
        throw new AppError('TAKEN', 'A store named "x" already exists.', { fieldErrors: { name: ['Choose another name.'] } });
      },
    });
    expect(await action(null, { name: 'x', count: 1 })).toMatchObject({
      ok: false,
      message: 'A store named "x" already exists.',
      fieldErrors: { name: ['Choose another name.'] },
    });
  });

  it('refuses an unauthorized caller before looking at the input', async () => {
    const action = defineAction({
      name: 't',
      input,
      authorize: async () => {
        throw new AppError('UNAUTHENTICATED', 'Your session has ended.', { status: 401 });
      },
      run: vi.fn(),
    });
    expect(await action(null, { name: '', count: -1 })).toEqual({ ok: false, message: 'Your session has ended.', fieldErrors: {} });
  });

  it('gives back what was submitted, except secrets, so the form can show it again', async () => {
    const action = defineAction({ name: 't', input, authorize: allow, run: vi.fn() });
    const form = new FormData();
    form.set('name', '');
    form.set('count', 'abc');
    form.set('password', 'hunter2');
    form.append('tags[]', 'a');
    const result = await action(null, form);
    expect(!result.ok && result.values).toEqual({ name: '', count: 'abc', tags: ['a'] });
  });

  it('hides internals of unexpected errors', async () => {
    const action = defineAction({
      name: 't',
      input,
      authorize: allow,
      run: async () => {
        throw new Error('relation "secret_table" does not exist');
      },
    });
    const result = await action(null, { name: 'x', count: 1 });
    expect(result.ok).toBe(false);
    expect(JSON.stringify(result)).not.toContain('secret_table');
  });
});

describe('formDataToObject', () => {
  it('keeps single values, collects repeated keys and [] keys into arrays, drops Next internals', () => {
    const form = new FormData();
    form.append('a', '1');
    form.append('tags', 'x');
    form.append('tags', 'y');
    form.append('only[]', 'z');
    form.append('$ACTION_ID_123', '');
    expect(formDataToObject(form)).toEqual({ a: '1', tags: ['x', 'y'], only: ['z'] });
  });
});
