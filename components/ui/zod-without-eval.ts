'use client';

import { z } from 'zod';

// Zod 4 probes whether it may compile parsers with `new Function` the first time it parses an object.
// The pages' Content-Security-Policy refuses eval, and the refused probe is reported as a violation even
// though zod then parses without it: so the browser's zod is told not to try (the server's is untouched).
z.config({ jitless: true });
