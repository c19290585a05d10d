'use client';

import { useEffect, type RefObject } from 'react';
import type { ActionResult } from '@/lib/actions/action-result';

const FOCUSABLE = 'input:not([type="hidden"]), select, textarea, button, [tabindex]';

/**
 * After a refused submit, moves focus to the first field marked invalid (or the first control inside an
 * invalid group, such as a fieldset of checkboxes), so keyboard and screen-reader users land on what to
 * fix, with its error read out through aria-describedby.
 */
export function useFocusFirstInvalid(formRef: RefObject<HTMLFormElement | null>, result: ActionResult<unknown> | null) {
  useEffect(() => {
    if (!result || result.ok) return;
    const invalid = formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
    const target = invalid?.matches(FOCUSABLE) ? invalid : invalid?.querySelector<HTMLElement>(FOCUSABLE);
    target?.focus();
  }, [formRef, result]);
}
