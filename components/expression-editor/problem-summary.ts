import type { Diagnostic } from '@/lib/expressions/diagnostics';

const count = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

/**
 * The editor's status line: every marker that is shown is counted, hints (info) included, so it never
 * says "No problems" under an underlined word. Only kinds that occur are named ("1 error, 3 hints").
 */
export function problemSummary(diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.filter((d) => d.severity === 'warning').length;
  const hints = diagnostics.filter((d) => d.severity === 'info').length;
  if (errors + warnings + hints === 0) return 'No problems. Ctrl+Space lists fields and functions.';
  const parts = [errors && count(errors, 'error'), warnings && count(warnings, 'warning'), hints && count(hints, 'hint')].filter(Boolean);
  return `${parts.join(', ')}. Ctrl+. on a marked word offers fixes.`;
}
