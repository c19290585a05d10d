'use client';

import { useState } from 'react';

/**
 * A new secret, shown once, with a Copy button that says "Copied" only when the browser really put it on
 * the clipboard (it refuses on plain http, or when permission is denied).
 */
export function SecretShownOnce({ title, note, label, secret }: { title: string; note: string; label: string; secret: string }) {
  const [copied, setCopied] = useState<boolean | null>(null);
  return (
    <section role="status" aria-live="polite" className="new-key" aria-labelledby="new-key-title">
      <h3 id="new-key-title">{title}</h3>
      <p>{note}</p>
      <div className="copy-row">
        <label htmlFor="new-key-value" className="sr-only">
          {label}
        </label>
        <input id="new-key-value" readOnly value={secret} onFocus={(e) => e.currentTarget.select()} />
        <button
          type="button"
          className="button secondary"
          onClick={async () => {
            try {
              if (!navigator.clipboard) throw new Error('no clipboard');
              await navigator.clipboard.writeText(secret);
              setCopied(true);
            } catch {
              setCopied(false);
            }
          }}
        >
          {copied ? 'Copied' : 'Copy'}
        </button>
      </div>
      <p className={copied === false ? 'form-status error' : 'sr-only'} aria-live="assertive">
        {copied === null ? '' : copied ? 'It is on the clipboard.' : 'The browser did not let us copy it: select it and copy it yourself (Ctrl+C or ⌘C).'}
      </p>
    </section>
  );
}
