'use client';

import { useCallback, useEffect, useRef, useState } from 'react';

export const COMMIT_AFTER_MS = 700;

/**
 * A text control's value while it is being edited: shown at once, committed (one onChange, one undo step)
 * when the control loses focus, on Enter, after a pause in typing, or when the panel closes — never per
 * keystroke. A change from outside (undo, another control) replaces the draft and bumps `revision`, for
 * uncontrolled editors (Monaco) to remount with the new value.
 */
export function useDraft<T>(value: T, commit: (next: T) => void, delay = COMMIT_AFTER_MS) {
  const [draft, setDraftState] = useState(value);
  const [seen, setSeen] = useState(value);
  const [revision, setRevision] = useState(0);
  if (!Object.is(value, seen)) {
    setSeen(value);
    if (!Object.is(value, draft)) {
      setDraftState(value);
      setRevision((r) => r + 1);
    }
  }
  const pending = useRef<{ value: T } | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const commitRef = useRef(commit);
  useEffect(() => {
    commitRef.current = commit;
  }, [commit]);

  const flush = useCallback(() => {
    clearTimeout(timer.current);
    const next = pending.current;
    pending.current = null;
    if (next) commitRef.current(next.value);
  }, []);

  const setDraft = useCallback(
    (next: T) => {
      setDraftState(next);
      pending.current = { value: next };
      clearTimeout(timer.current);
      timer.current = setTimeout(flush, delay);
    },
    [delay, flush],
  );

  useEffect(() => flush, [flush]);
  return { draft, setDraft, flush, revision };
}
