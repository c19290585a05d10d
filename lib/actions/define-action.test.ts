import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { defineAction, formDataToObject } from '@/lib/actions/define-action';
import { AppError } from '@/lib/errors';
import { assertRenderedWorkspace, withRenderedWorkspace } from '@/lib/workspaces/rendered-workspace';

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

  it('hands authorize the workspace the form was rendered for, and leaves it out of the input', async () => {
    const seen: unknown[] = [];
    const action = defineAction({
      name: 't',
      input: input.strict(),
      authorize: async (submission) => {
        seen.push(submission.renderedWorkspaceId);
        return { workspaceId: 'ws-1' };
      },
      run: async (v) => v,
    });
    const form = withRenderedWorkspace(new FormData(), 'ws-1');
    form.set('name', 'meter');
    form.set('count', '3');
    expect(await action(null, form)).toEqual({ ok: true, data: { name: 'meter', count: 3 } });
    expect(await action(null, withRenderedWorkspace({ name: 'meter', count: 3 }, 'ws-2'))).toEqual({ ok: true, data: { name: 'meter', count: 3 } });
    expect(await action(null, { name: 'meter', count: 3 })).toEqual({ ok: true, data: { name: 'meter', count: 3 } });
    expect(seen).toEqual(['ws-1', 'ws-2', undefined]);
  });

  it('refuses before parsing when authorize refuses the rendered workspace', async () => {
    const run = vi.fn();
    const action = defineAction({
      name: 't',
      input,
      authorize: async ({ renderedWorkspaceId }) => {
        assertRenderedWorkspace({ workspaceId: 'ws-2', workspaceName: 'Two', workspaces: [{ id: 'ws-1', name: 'One' }, { id: 'ws-2', name: 'Two' }] }, renderedWorkspaceId);
        return null;
      },
      run,
    });
    expect(await action(null, withRenderedWorkspace({ name: '', count: -1 }, 'ws-1'))).toEqual({
      ok: false,
      message: 'This page was opened for workspace One; you have since switched to Two in another tab. Nothing was changed. Reload to continue.',
      fieldErrors: {},
    });
    expect(run).not.toHaveBeenCalled();
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
