/**
 * The SECRETS_KEY of tests (Vitest and the end-to-end server run by `npm test` share one database, so they
 * share one key). 32 bytes, base64; never a key for real data.
 */
export const TEST_SECRETS_KEY = Buffer.alloc(32, 7).toString('base64');
