import { formatCount } from '@/components/ui/format';
import type { DryRunChange, DryRunReport } from '@/lib/runs/types';

const shown = (record: unknown) => (record === undefined ? '—' : JSON.stringify(record));

function Samples({ name, samples }: { name: string; samples: DryRunChange[] }) {
  if (samples.length === 0) return null;
  return (
    <details>
      <summary>
        Sample of changes to {name} ({samples.length})
      </summary>
      <div className="table-wrap">
        <table>
          <caption className="sr-only">Sample of changes to {name}</caption>
          <thead>
            <tr>
              <th scope="col">Change</th>
              <th scope="col">Key</th>
              <th scope="col">Before</th>
              <th scope="col">After</th>
            </tr>
          </thead>
          <tbody>
            {samples.map((s) => (
              <tr key={`${s.change}-${s.key}`}>
                <td>{s.change === 'insert' ? 'Insert' : 'Replace'}</td>
                <td>
                  <code>{s.key}</code>
                </td>
                <td className="record-cell">
                  <code>{shown(s.before)}</code>
                </td>
                <td className="record-cell">
                  <code>{shown(s.after)}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}

/** What a real run would do to each target: inserted, replaced, unchanged (and sent, for webhooks), with samples. */
export function DryRunReportView({ report }: { report: DryRunReport }) {
  const targets = Object.entries(report.targets);
  if (targets.length === 0) return <p className="muted">The meter has no target to report on.</p>;
  return (
    <>
      <div className="table-wrap">
        <table>
          <caption className="sr-only">What a run would write</caption>
          <thead>
            <tr>
              <th scope="col">Target</th>
              <th scope="col" className="num">Would insert</th>
              <th scope="col" className="num">Would replace</th>
              <th scope="col" className="num">Unchanged</th>
              <th scope="col" className="num">Would send</th>
            </tr>
          </thead>
          <tbody>
            {targets.map(([id, t]) => (
              <tr key={id}>
                <th scope="row">{t.name}</th>
                <td className="num">{formatCount(t.inserted)}</td>
                <td className="num">{formatCount(t.replaced)}</td>
                <td className="num">{formatCount(t.unchanged)}</td>
                <td className="num">{formatCount(t.sent)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {targets.map(([id, t]) => (
        <Samples key={id} name={t.name} samples={t.samples} />
      ))}
    </>
  );
}
