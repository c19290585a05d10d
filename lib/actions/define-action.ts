import { unstable_rethrow } from 'next/navigation';
import { z } from 'zod';
import { isStatementTimeout, STATEMENT_TIMEOUT_MESSAGE } from '@/lib/db/statement-timeout';
import { isAppError } from '@/lib/errors';
import { logger } from '@/lib/logger';
import type { ActionResult } from '@/lib/actions/action-result';
import type { MeterProblem } from '@/lib/meters/problems';
import { takeRenderedWorkspace } from '@/lib/workspaces/rendered-workspace';

/** What an action's `authorize` learns from the submission before anything else is read. */
export interface Submission {
  /** The workspace the submitting page was rendered for (the console's forms always send it). */
  renderedWorkspaceId: string | undefined;
}

export interface ActionDefinition<S extends z.ZodType, T, C> {
  /** Name for logs ("eventStore.create"). */
  name: string;
  input: S;
  /**
   * Resolves who is asking (usually `requirePermission(...)` from lib/auth/request-context); throws
   * AppError (401/403, or 409 for a page rendered for another workspace than the current one) to refuse
   * before any domain code runs.
   */
  authorize: (submission: Submission) => Promise<C>;
  run: (input: z.infer<S>, context: C) => Promise<T>;
}

/**
 * Wraps a server action: authorizes first, with the workspace the form was rendered for (nothing is
 * parsed or run for a caller who may not act, or whose page belongs to another workspace than the
 * current one), parses the rest of the input with zod (FormData or a plain object), runs the domain
 * command, and maps every outcome to one ActionResult. AppErrors become their user message; anything
 * else is logged and reported without internals. Next's redirect()/notFound() pass through.
 */
export function defineAction<S extends z.ZodType, T, C>(definition: ActionDefinition<S, T, C>) {
  return async (_previous: unknown, raw: FormData | unknown): Promise<ActionResult<T>> => {
    let authorized = false;
    const { renderedWorkspaceId, input: submitted } = takeRenderedWorkspace(raw);
    try {
      const context = await definition.authorize({ renderedWorkspaceId });
      authorized = true;
      const input = submitted instanceof FormData ? formDataToObject(submitted) : submitted;
      const parsed = definition.input.safeParse(input);
      if (!parsed.success) {
        return { ok: false, message: 'Some fields need attention.', fieldErrors: fieldErrorsOf(parsed.error), values: echoable(input) };
      }
      const data = await definition.run(parsed.data, context);
      return { ok: true, data };
    } catch (error) {
      unstable_rethrow(error);
      if (isAppError(error)) {
        const values = authorized ? echoable(submitted instanceof FormData ? formDataToObject(submitted) : submitted) : undefined;
        const problems = Array.isArray(error.details.problems) ? { problems: error.details.problems as MeterProblem[] } : {};
        return { ok: false, message: error.userMessage, fieldErrors: error.fieldErrors, ...(values ? { values } : {}), ...problems };
      }
      if (isStatementTimeout(error)) {
        logger.warn({ err: error, action: definition.name }, 'server action hit the statement timeout');
        return { ok: false, message: STATEMENT_TIMEOUT_MESSAGE, fieldErrors: {} };
      }
      logger.error({ err: error, action: definition.name }, 'server action failed');
      return { ok: false, message: 'Something went wrong on our side; nothing was changed. Try again.', fieldErrors: {} };
    }
  };
}

/** FormData → object; repeated keys become arrays; fields named `x[]` are always arrays. */
export function formDataToObject(form: FormData): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of form.entries()) {
    if (key.startsWith('$ACTION')) continue;
    const name = key.endsWith('[]') ? key.slice(0, -2) : key;
    const existing = out[name];
    if (key.endsWith('[]')) out[name] = [...((existing as unknown[]) ?? []), value];
    else if (existing === undefined) out[name] = value;
    else out[name] = Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return out;
}

/** Text fields of the submission to show again; anything secret-looking is left out. */
function echoable(input: unknown): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  if (!input || typeof input !== 'object') return out;
  for (const [key, value] of Object.entries(input)) {
    if (/password|secret|token|key$/i.test(key)) continue;
    if (typeof value === 'string') out[key] = value.slice(0, 2000);
    else if (Array.isArray(value) && value.every((v) => typeof v === 'string')) out[key] = value;
  }
  return out;
}

function fieldErrorsOf(error: z.ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = issue.path.join('.') || '_form';
    (out[key] ??= []).push(issue.message);
  }
  return out;
}
