'use client';

import { formatDateTime, formatRelative } from '@/components/ui/format';
import { Tooltip } from '@/components/ui/tooltip';

/**
 * A date in the console's one format. `relative` shows "3 min ago" with the full value in a tooltip (on
 * hover and keyboard focus) and, for screen readers, in the text itself. The relative text depends on the
 * clock, so the server's and the browser's renderings may differ by a minute: hydration keeps the server's.
 */
export function DateTime({ value, relative = false, withSeconds = false }: { value: Date | null | undefined; relative?: boolean; withSeconds?: boolean }) {
  if (!value) return <span>—</span>;
  const full = formatDateTime(value, withSeconds);
  if (!relative) return <time dateTime={value.toISOString()}>{full}</time>;
  return (
    <Tooltip content={full}>
      <time dateTime={value.toISOString()} tabIndex={0} className="focusable date-relative" suppressHydrationWarning>
        {formatRelative(value)}
        <span className="sr-only"> ({full})</span>
      </time>
    </Tooltip>
  );
}
