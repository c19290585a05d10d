import { inject } from 'vitest';

process.env.DATABASE_URL = inject('databaseUrl');
// Session cookies are signed with this; tests need any 32+ character secret.
process.env.BETTER_AUTH_SECRET ??= 'test-secret-for-vitest-only-0123456789abcdef';
process.env.BETTER_AUTH_URL ??= 'http://localhost:3000';
