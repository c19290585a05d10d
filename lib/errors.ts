/**
 * A failure the user can act on. `lib/` throws it; the action and route boundaries turn it into a result
 * or an HTTP status. `userMessage` is shown as is, so it must name what went wrong and what to do.
 */
export class AppError extends Error {
  readonly code: string;
  readonly userMessage: string;
  readonly status: number;
  readonly fieldErrors: Record<string, string[]>;
  /** Machine-readable facts for API clients (e.g. retryAt). */
  readonly details: Record<string, unknown>;

  constructor(
    code: string,
    userMessage: string,
    options: {
      status?: number;
      fieldErrors?: Record<string, string[]>;
      details?: Record<string, unknown>;
      cause?: unknown;
    } = {},
  ) {
    super(userMessage, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.userMessage = userMessage;
    this.status = options.status ?? 400;
    this.fieldErrors = options.fieldErrors ?? {};
    this.details = options.details ?? {};
  }
}

export const notFound = (what: string) => new AppError('NOT_FOUND', `${what} was not found.`, { status: 404 });

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
