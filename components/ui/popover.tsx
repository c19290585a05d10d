'use client';

import { Popover as RadixPopover } from 'radix-ui';
import type { ComponentProps, ReactNode } from 'react';
import styles from './popover.module.css';

/**
 * A floating panel anchored to its trigger (Radix Popover: focus moves in, Escape and outside clicks close it,
 * focus returns to the trigger). `label` names the panel for screen readers.
 */
export function Popover({
  trigger,
  label,
  children,
  open,
  onOpenChange,
  align = 'start',
}: {
  trigger: ReactNode;
  label: string;
  children: ReactNode;
  open?: boolean;
  onOpenChange?: (open: boolean) => void;
  align?: ComponentProps<typeof RadixPopover.Content>['align'];
}) {
  return (
    <RadixPopover.Root open={open} onOpenChange={onOpenChange}>
      <RadixPopover.Trigger asChild>{trigger}</RadixPopover.Trigger>
      <RadixPopover.Portal>
        <RadixPopover.Content className={styles.content} aria-label={label} align={align} sideOffset={6} collisionPadding={8}>
          {children}
        </RadixPopover.Content>
      </RadixPopover.Portal>
    </RadixPopover.Root>
  );
}
