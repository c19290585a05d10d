'use client';

import { useRef, useState } from 'react';
import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from 'recharts';
import { simulateConditionAction } from '@/app/(console)/custom-events/actions';
import { ExplainTree } from '@/components/custom-events/explain-tree';
import { useWorkspaceCall } from '@/components/meters/canvas/use-workspace-call';
import { DateTime } from '@/components/ui/date-time';
import { formatCount } from '@/components/ui/format';
import { SIMULATION_WINDOWS, type SimulationExample, type SimulationResult } from '@/lib/custom-events/simulator/simulate-condition';

type State = { status: 'idle' } | { status: 'running' } | { status: 'failed'; message: string; errors: string[] } | { status: 'done'; result: SimulationResult };

/**
 * "How often would this have fired?": runs the draft condition (as typed, not saved) over the workspace's
 * stored changes of the base object in the chosen window, and shows matches per day (a bar chart with a
 * table for screen readers) and a few matching and non-matching changes with why.
 */
export function ConditionSimulator({ baseObject, condition }: { baseObject: string; condition: string }) {
  const simulate = useWorkspaceCall(simulateConditionAction);
  const [days, setDays] = useState<number>(7);
  const [state, setState] = useState<State>({ status: 'idle' });
  const ticket = useRef(0);

  function run() {
    const mine = ++ticket.current;
    setState({ status: 'running' });
    simulate({ baseObject, condition, days })
      .then((result) => {
        if (mine !== ticket.current) return;
        setState(result.ok ? { status: 'done', result: result.data } : { status: 'failed', message: result.message, errors: Object.values(result.fieldErrors).flat() });
      })
      .catch(() => mine === ticket.current && setState({ status: 'failed', message: 'The simulation could not run; check the connection and try again.', errors: [] }));
  }

  return (
    <section className="simulator" aria-labelledby="simulator-title">
      <h2 id="simulator-title">How often would this have fired?</h2>
      <p className="hint">Runs the condition as written now over the {baseObject} changes stored in this workspace. Nothing is saved or sent.</p>
      <div className="actions-row">
        <div className="field">
          <label htmlFor="simulator-days">Look back</label>
          <select id="simulator-days" value={days} onChange={(e) => setDays(Number(e.target.value))}>
            {SIMULATION_WINDOWS.map((d) => (
              <option key={d} value={d}>
                {d === 1 ? 'The last day' : `The last ${d} days`}
              </option>
            ))}
          </select>
        </div>
        <button type="button" className="button secondary" onClick={run} disabled={state.status === 'running' || !condition.trim()}>
          {state.status === 'running' ? 'Simulating…' : 'Simulate'}
        </button>
      </div>
      <div aria-live="polite">
        {state.status === 'failed' ? (
          <div className="field-error" role="alert">
            <p>{state.message}</p>
            {state.errors.length ? (
              <ul>
                {state.errors.map((e) => (
                  <li key={e}>{e}</li>
                ))}
              </ul>
            ) : null}
          </div>
        ) : null}
        {state.status === 'done' ? <SimulationReport result={state.result} /> : null}
      </div>
    </section>
  );
}

function SimulationReport({ result }: { result: SimulationResult }) {
  const window = result.days === 1 ? 'the last day' : `the last ${result.days} days`;
  const summary = `${formatCount(result.matched)} of ${formatCount(result.evaluated)} ${result.baseObject} changes in ${window} would have fired.`;
  const data = result.perDay.map((d) => ({ ...d, tick: d.day.slice(5) }));
  return (
    <>
      <p className="simulator-summary">
        <strong>{summary}</strong>
      </p>
      {result.cappedAt ? (
        <p className="hint">
          Capped: only the newest {formatCount(result.evaluated)} changes were evaluated, back to <DateTime value={new Date(result.cappedAt)} />; older changes in the window were not.
        </p>
      ) : null}
      <BarChart responsive data={data} role="img" aria-label={`Matches per day: ${summary}`} margin={{ top: 8, right: 12, bottom: 4, left: 4 }} style={{ width: '100%', height: 180 }}>
        <CartesianGrid vertical={false} stroke="var(--border)" />
        <XAxis dataKey="tick" minTickGap={16} tick={{ fill: 'var(--muted)', fontSize: 12 }} tickLine={false} label={{ value: 'Day (UTC)', position: 'insideBottom', offset: -2, fill: 'var(--muted)', fontSize: 12 }} height={36} />
        <YAxis allowDecimals={false} tickFormatter={(n: number) => formatCount(n)} tick={{ fill: 'var(--muted)', fontSize: 12 }} width={48} label={{ value: 'Matches', angle: -90, position: 'insideLeft', fill: 'var(--muted)', fontSize: 12 }} />
        <Tooltip cursor={{ fill: 'var(--accent-soft)' }} isAnimationActive={false} />
        <Bar dataKey="matched" name="Would have fired" fill="var(--accent)" isAnimationActive={false} />
      </BarChart>
      <table className="sr-only">
        <caption>Matches per day (UTC)</caption>
        <thead>
          <tr>
            <th scope="col">Day</th>
            <th scope="col">Would have fired</th>
            <th scope="col">Changes</th>
          </tr>
        </thead>
        <tbody>
          {result.perDay.map((d) => (
            <tr key={d.day}>
              <th scope="row">{d.day}</th>
              <td>{d.matched}</td>
              <td>{d.evaluated}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <Examples title="Would have fired" examples={result.matching} empty="No change in the window meets the condition." />
      <Examples title="Would not have fired" examples={result.notMatching} empty="Every change in the window meets the condition." />
    </>
  );
}

function Examples({ title, examples, empty }: { title: string; examples: SimulationExample[]; empty: string }) {
  return (
    <section aria-label={title}>
      <h3>{title}</h3>
      {examples.length === 0 ? <p className="muted">{empty}</p> : null}
      {examples.map((e) => (
        <details key={e.changeId}>
          <summary>
            {e.changeType} of {e.recordId}, <DateTime value={new Date(e.changedAt)} />
          </summary>
          <ExplainTree node={e.explanation} />
        </details>
      ))}
    </section>
  );
}
