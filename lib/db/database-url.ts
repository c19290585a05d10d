import { AppError } from '@/lib/errors';

/**
 * The connection string every part of the app uses. The launchers (scripts/start.ts, scripts/test.ts)
 * set DATABASE_URL to the embedded server when the user did not, so the app itself has one code path.
 */
export function requireDatabaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) {
    throw new AppError(
      'DATABASE_URL_MISSING',
      'DATABASE_URL is not set. Start the console with "npm start" (it runs the embedded database) or set DATABASE_URL.',
      { status: 500 },
    );
  }
  return url;
}
