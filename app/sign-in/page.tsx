import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { SignInForm } from '@/components/auth/sign-in-form';
import { getRequestContext } from '@/lib/auth/request-context';

export const metadata: Metadata = { title: 'Sign in' };
export const dynamic = 'force-dynamic';

export default async function SignInPage() {
  if (await getRequestContext()) redirect('/');
  return (
    <main className="auth-page">
      <section className="card auth-card" aria-labelledby="sign-in-title">
        <p className="brand-dark">
          <span aria-hidden="true" className="brand-mark">◆</span> Usage Console
        </p>
        <h1 id="sign-in-title">Sign in</h1>
        <SignInForm />
        <p className="muted small">
          First start? <code>npm start</code> printed the demo account&apos;s email and password in its terminal.
        </p>
      </section>
    </main>
  );
}
