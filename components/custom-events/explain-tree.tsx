import { HighlightedExpression } from '@/components/expression-editor/highlighted-expression';
import type { ExplainNode } from '@/lib/expressions/explain';

const show = (value: unknown) => (value === null ? 'null' : JSON.stringify(value));

/** The explained evaluation as a nested list: each part with ✓/✗ and its value; skipped parts greyed. */
export function ExplainTree({ node }: { node: ExplainNode }) {
  return (
    <ul className="explain-tree" aria-label="How the condition was evaluated">
      <ExplainItem node={node} />
    </ul>
  );
}

function ExplainItem({ node }: { node: ExplainNode }) {
  const leaf = node.children.length === 0;
  // Plain values (a field, a number) are shown, not judged; parts that decide (comparisons, and/or,
  // yes/no values) get ✓ or ✗.
  const judged = !leaf || typeof node.value === 'boolean';
  const state = node.skipped ? 'skipped' : node.error ? 'error' : !judged ? 'value' : node.truthy ? 'true' : 'false';
  const mark = { skipped: '–', error: '!', true: '✓', false: '✗', value: '·' }[state];
  return (
    <li className={`explain-${state}`} data-state={state}>
      <span className="explain-mark" aria-hidden="true">
        {mark}
      </span>{' '}
      <HighlightedExpression source={node.text} />{' '}
      <span className="explain-value">
        {node.skipped ? 'not evaluated' : node.error ? `error: ${node.error}` : leaf ? `= ${show(node.value)}` : `→ ${show(node.value)}`}
      </span>
      <span className="sr-only">{state === 'true' ? ' (true)' : state === 'false' ? ' (false)' : ''}</span>
      {leaf ? null : (
        <ul>
          {node.children.map((child, i) => (
            <ExplainItem key={`${child.start}-${i}`} node={child} />
          ))}
        </ul>
      )}
    </li>
  );
}
