'use client';

import { useActionState } from 'react';
import { signInAction } from '@/app/sign-in/actions';
import { FormStatus } from '@/components/ui/form-status';
import { TextField } from '@/components/ui/text-field';

export function SignInForm() {
  const [state, action, pending] = useActionState(signInAction, null);
  return (
    <form action={action} className="form" noValidate>
      <FormStatus state={state} />
      <TextField id="email" name="email" label="Email" type="email" autoComplete="username" required autoFocus state={state} />
      <TextField id="password" name="password" label="Password" type="password" autoComplete="current-password" required state={state} keepValue={false} />
      <button type="submit" className="button" disabled={pending}>
        {pending ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}
