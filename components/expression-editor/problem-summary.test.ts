import { describe, expect, it } from 'vitest';
import { problemSummary } from '@/components/expression-editor/problem-summary';
import type { Diagnostic } from '@/lib/expressions/diagnostics';

const of = (...severities: Diagnostic['severity'][]) =>
  severities.map((severity, i): Diagnostic => ({ start: i, end: i + 1, severity, code: 'NON_CANONICAL_NAME', message: '', fixes: [] }));

describe('problemSummary', () => {
  it.each([
    [[], 'No problems. Ctrl+Space lists fields and functions.'],
    [['info', 'info'], '2 hints. Ctrl+. on a marked word offers fixes.'],
    [['info'], '1 hint. Ctrl+. on a marked word offers fixes.'],
    [['error', 'info', 'info', 'info'], '1 error, 3 hints. Ctrl+. on a marked word offers fixes.'],
    [['error', 'error', 'warning'], '2 errors, 1 warning. Ctrl+. on a marked word offers fixes.'],
    [['warning', 'error', 'info', 'warning'], '1 error, 2 warnings, 1 hint. Ctrl+. on a marked word offers fixes.'],
  ] as const)('%j reads "%s"', (severities, text) => {
    expect(problemSummary(of(...severities))).toBe(text);
  });
});
