'use client';

import { useActionState } from 'react';
import { signInAction } from '@/app/sign-in/actions';
import { FormStatus } from '@/components/ui/form-status';
import { useActionForm } from '@/components/ui/use-action-form';
import { TextField } from '@/components/ui/text-field';

/** `next`: the page to return to after signing in (already checked to be a path on this site). */
export function SignInForm({ next }: { next: string | null }) {
  const [state, action, pending] = useActionState(signInAction, null);
  const { shown, formProps } = useActionForm(action, state);
  return (
    <form {...formProps} action={action} className="form" noValidate>
      <FormStatus state={shown} />
      {next ? <input type="hidden" name="next" value={next} /> : null}
      <TextField id="email" name="email" label="Email" type="email" autoComplete="username" required autoFocus state={shown} />
      <TextField id="password" name="password" label="Password" type="password" autoComplete="current-password" required state={shown} keepValue={false} />
      <button type="submit" className="button" disabled={pending}>
        {pending ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}
