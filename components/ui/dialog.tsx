'use client';

import { X } from 'lucide-react';
import { Dialog as RadixDialog } from 'radix-ui';
import type { ReactNode } from 'react';
import styles from './dialog.module.css';

/**
 * A centred modal dialog (Radix Dialog): it traps focus, Escape or the close button closes it, its title names
 * it, and focus goes back to its trigger. `trigger` is rendered as the Radix trigger (asChild), so a feature
 * passes its own button. The Drawer is the side-sheet variant for records; this one is for a task (run a meter).
 */
export function Dialog({
  trigger,
  open,
  onOpenChange,
  title,
  description,
  children,
}: {
  trigger: ReactNode;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: ReactNode;
  description?: ReactNode;
  children: ReactNode;
}) {
  return (
    <RadixDialog.Root open={open} onOpenChange={onOpenChange}>
      <RadixDialog.Trigger asChild>{trigger}</RadixDialog.Trigger>
      <RadixDialog.Portal>
        <RadixDialog.Overlay className={styles.overlay} />
        <RadixDialog.Content className={styles.panel} {...(description ? {} : { 'aria-describedby': undefined })}>
          <header className={styles.header}>
            <RadixDialog.Title className={styles.title}>{title}</RadixDialog.Title>
            <RadixDialog.Close className={styles.close} aria-label="Close">
              <X aria-hidden size={18} />
            </RadixDialog.Close>
          </header>
          {description ? <RadixDialog.Description className="small muted">{description}</RadixDialog.Description> : null}
          <div className={styles.body}>{children}</div>
        </RadixDialog.Content>
      </RadixDialog.Portal>
    </RadixDialog.Root>
  );
}
