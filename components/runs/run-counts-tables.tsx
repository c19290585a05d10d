import { formatCount } from '@/components/ui/format';
import type { RunView } from '@/lib/runs/types';

/** A node of the run's meter version, named as the canvas names it. */
export interface RunNodeInfo {
  id: string;
  name: string;
  kind: string;
}

/** Events in, out, filtered and rejected per node, in the meter's order; a node not reached yet shows zeros. */
export function RunNodeTable({ nodes, progress }: { nodes: RunNodeInfo[]; progress: RunView['progress'] }) {
  return (
    <div className="table-wrap">
      <table>
        <caption className="sr-only">Events per node</caption>
        <thead>
          <tr>
            <th scope="col">Node</th>
            <th scope="col" className="num">In</th>
            <th scope="col" className="num">Out</th>
            <th scope="col" className="num">Filtered</th>
            <th scope="col" className="num">Rejected</th>
          </tr>
        </thead>
        <tbody>
          {nodes.map((node) => {
            const c = progress.nodes[node.id] ?? { in: 0, out: 0, dropped: 0, rejected: 0 };
            return (
              <tr key={node.id}>
                <th scope="row">
                  {node.name} <span className="muted small">{node.kind}</span>
                </th>
                <td className="num">{formatCount(c.in)}</td>
                <td className="num">{formatCount(c.out)}</td>
                <td className="num">{formatCount(c.dropped)}</td>
                <td className="num">{formatCount(c.rejected)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/**
 * What each target wrote: inserted and replaced (a replay replaces, never adds twice), sent for webhooks; a dry
 * run wrote nothing, so its columns say what it would have done, with unchanged.
 */
export function RunTargetTable({ run, nameOf }: { run: Pick<RunView, 'progress' | 'dryRun'>; nameOf: (key: string) => string }) {
  const targets = Object.entries(run.progress.targets);
  if (targets.length === 0) return <p className="muted">Nothing written yet.</p>;
  const would = run.dryRun ? 'Would be ' : '';
  return (
    <div className="table-wrap">
      <table>
        <caption className="sr-only">Events per target</caption>
        <thead>
          <tr>
            <th scope="col">Target</th>
            <th scope="col" className="num">{would}Inserted</th>
            <th scope="col" className="num">{would}Replaced</th>
            {run.dryRun ? <th scope="col" className="num">Unchanged</th> : null}
            <th scope="col" className="num">{would}Sent</th>
          </tr>
        </thead>
        <tbody>
          {targets.map(([key, t]) => (
            <tr key={key}>
              <th scope="row">{nameOf(key)}</th>
              <td className="num">{formatCount(t.inserted)}</td>
              <td className="num">{formatCount(t.replaced)}</td>
              {run.dryRun ? <td className="num">{formatCount(t.unchanged)}</td> : null}
              <td className="num">{formatCount(t.sent)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
