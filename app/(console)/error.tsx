'use client';

export default function ConsoleError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <section role="alert" className="card error-card">
      <h1>This page could not be loaded</h1>
      <p>Nothing was changed. If the database was restarting, trying again usually works.</p>
      {error.digest ? <p className="muted small">Reference: {error.digest}</p> : null}
      <button type="button" className="button" onClick={reset}>
        Try again
      </button>
    </section>
  );
}
