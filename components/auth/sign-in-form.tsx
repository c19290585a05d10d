'use client';

import { useActionState } from 'react';
import { signInAction } from '@/app/sign-in/actions';
import { FormStatus } from '@/components/ui/form-status';
import { TextField } from '@/components/ui/text-field';

/** `next`: the page to return to after signing in (already checked to be a path on this site). */
export function SignInForm({ next }: { next: string | null }) {
  const [state, action, pending] = useActionState(signInAction, null);
  return (
    <form action={action} className="form" noValidate>
      <FormStatus state={state} />
      {next ? <input type="hidden" name="next" value={next} /> : null}
      <TextField id="email" name="email" label="Email" type="email" autoComplete="username" required autoFocus state={state} />
      <TextField id="password" name="password" label="Password" type="password" autoComplete="current-password" required state={state} keepValue={false} />
      <button type="submit" className="button" disabled={pending}>
        {pending ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}
