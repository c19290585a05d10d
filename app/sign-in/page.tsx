import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { SignInForm } from '@/components/auth/sign-in-form';
import { safeReturnPath } from '@/lib/auth/return-path';
import { getRequestContext } from '@/lib/auth/request-context';

export const metadata: Metadata = { title: 'Sign in' };
export const dynamic = 'force-dynamic';

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const next = safeReturnPath((await searchParams).next);
  if (await getRequestContext()) redirect(next ?? '/');
  return (
    <main className="auth-page">
      <section className="card auth-card" aria-labelledby="sign-in-title">
        <p className="brand-dark">
          <span aria-hidden="true" className="brand-mark">◆</span> Usage Console
        </p>
        <h1 id="sign-in-title">Sign in</h1>
        <SignInForm next={next} />
        <p className="muted small">
          First start? <code>npm start</code> printed the demo account&apos;s email and password in its terminal.
        </p>
      </section>
    </main>
  );
}
