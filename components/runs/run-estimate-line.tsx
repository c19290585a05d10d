import { describeEstimatedEvents, describeEstimatedTime } from './run-format';
import type { EstimateState } from './use-run-estimate';

/**
 * "Estimate: 1,234 events, about 40 s at the 35,000 events/s measured here." Announced politely as it changes.
 * While the time frame lacks a start or an end, `state` is the all-time estimate, said as such.
 */
export function RunEstimateLine({ state, frameIncomplete = false }: { state: EstimateState; frameIncomplete?: boolean }) {
  const estimate = state.status === 'ready' ? state.estimate : state.status === 'loading' ? state.last : null;
  const events = estimate ? describeEstimatedEvents(estimate) : null;
  return (
    <p role="status" aria-live="polite" className="run-estimate" data-testid="run-estimate">
      {state.status === 'error' ? (
        <span className="field-error">{state.message}</span>
      ) : frameIncomplete ? (
        <>
          Estimate: choose a start and an end{estimate && events ? <span className="muted"> (all time holds {events})</span> : null}.
        </>
      ) : estimate && events ? (
        <>
          Estimate: <strong>{events}</strong>, {describeEstimatedTime(estimate)}
          {state.status === 'loading' ? <span className="muted"> (updating…)</span> : '.'}
        </>
      ) : state.status === 'loading' ? (
        <span className="muted">Estimating…</span>
      ) : null}
    </p>
  );
}
