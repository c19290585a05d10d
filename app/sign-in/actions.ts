'use server';

import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { defineAction } from '@/lib/actions/define-action';
import { safeReturnPath } from '@/lib/auth/return-path';
import { clientAddress } from '@/lib/auth/client-address';
import { signIn } from '@/lib/auth/sign-in';

const signInSchema = z.object({
  email: z.email('Enter the email address you sign in with.'),
  password: z.string().min(1, 'Enter your password.').max(128, 'Passwords are at most 128 characters.'),
  // The page asked for before signing in; checked again here, since anyone can post anything.
  next: z.string().optional(),
});

/** Public by nature: the one action that runs without a session. Throttled inside signIn(). */
export const signInAction = defineAction({
  name: 'auth.signIn',
  input: signInSchema,
  authorize: async () => null,
  run: async (input) => {
    const requestHeaders = await headers();
    await signIn({ ...input, address: clientAddress(requestHeaders), headers: requestHeaders });
    redirect(safeReturnPath(input.next) ?? '/');
  },
});
