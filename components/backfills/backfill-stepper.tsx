'use client';

import { useEffect, useRef } from 'react';

export const BACKFILL_STEPS = ['Download template', 'Upload', 'Preview', 'Confirm', 'Done'] as const;
export type BackfillStep = (typeof BACKFILL_STEPS)[number];

/**
 * The five steps as an ordered list: the current one is `aria-current="step"`; the earlier steps one may go
 * back to (`back`) are buttons, reachable by Tab; the others are text. Moving between steps puts the focus
 * on the new step's heading (see StepPanel), so keyboard and screen-reader users follow along.
 */
export function BackfillStepper({ current, back, onStep }: { current: BackfillStep; back: BackfillStep[]; onStep: (step: BackfillStep) => void }) {
  const at = BACKFILL_STEPS.indexOf(current);
  return (
    <nav aria-label="Backfill steps" className="stepper">
      <ol>
        {BACKFILL_STEPS.map((step, index) => {
          const state = index < at ? 'done' : index === at ? 'current' : 'todo';
          const label = (
            <>
              <span className="stepper-number" aria-hidden="true">
                {index + 1}
              </span>{' '}
              {step}
              {state === 'done' ? <span className="sr-only"> (done)</span> : null}
            </>
          );
          return (
            <li key={step} className={`stepper-step ${state}`} aria-current={state === 'current' ? 'step' : undefined}>
              {state !== 'current' && back.includes(step) ? (
                <button type="button" className="stepper-button" onClick={() => onStep(step)}>
                  {label}
                </button>
              ) : (
                <span>{label}</span>
              )}
            </li>
          );
        })}
      </ol>
    </nav>
  );
}

/**
 * One step's content, titled. Mount it keyed by step: its heading takes the focus when it mounts, unless
 * `focus` is false (the page's first step, where the focus stays where the browser put it).
 */
export function StepPanel({ title, focus, children }: { title: string; focus: boolean; children: React.ReactNode }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (focus) heading.current?.focus();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only when the step opens, never again while it stays
  }, []);
  return (
    <section className="card step-panel" aria-labelledby="step-title">
      <h2 id="step-title" tabIndex={-1} ref={heading}>
        {title}
      </h2>
      {children}
    </section>
  );
}
