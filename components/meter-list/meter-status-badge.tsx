'use client';

import { Tooltip } from '@/components/ui/tooltip';
import type { MeterListItem } from '@/lib/meters/repository/list-meters';

const STATUS: Record<MeterListItem['status'], { label: string; tone: string; help: string }> = {
  draft: {
    label: 'Draft with problems',
    tone: 'badge status-orphan',
    help: 'Not saved yet, or its latest version has problems now (a store or definition changed since). Open it to see them on the canvas.',
  },
  ready: { label: 'Ready', tone: 'badge status-idle', help: 'Its latest version passes every rule and can run.' },
};

/** A meter's status on the list, explained in a tooltip (the badge is a Tab stop for that). */
export function MeterStatusBadge({ status }: { status: MeterListItem['status'] }) {
  const { label, tone, help } = STATUS[status];
  return (
    <Tooltip content={help}>
      <span className={`${tone} focusable`} tabIndex={0}>
        {label}
      </span>
    </Tooltip>
  );
}
