import type { MeterProblem } from '@/lib/meters/problems';

export interface Refusal {
  message: string;
  /** The meter's problems when it no longer validates (the same list the canvas shows). */
  problems?: MeterProblem[];
}

/** Why the server refused a run, in the dialog, with the meter's errors listed when that is the reason. */
export function RunRefusal({ refusal }: { refusal: Refusal | null }) {
  if (!refusal) return null;
  const errors = (refusal.problems ?? []).filter((p) => p.severity === 'error');
  return (
    <div role="alert" className="form-status error">
      <p className="run-refusal-message">{refusal.message}</p>
      {errors.length > 0 ? (
        <ul aria-label="Problems of the meter">
          {errors.map((problem, i) => (
            <li key={`${problem.code}-${i}`}>{problem.message}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
