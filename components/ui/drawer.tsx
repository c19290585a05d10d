'use client';

import { X } from 'lucide-react';
import { Dialog } from 'radix-ui';
import type { ReactNode } from 'react';
import styles from './drawer.module.css';

/**
 * A side sheet over the page (Radix Dialog, modal): it traps focus, Escape or the close button closes it, and
 * its title names it. Controlled, so a feature can keep it in the URL; `onCloseFocus` says where focus goes
 * back to when nothing opened it through a Radix trigger (e.g. a link that changed the URL).
 */
export function Drawer({
  open,
  onOpenChange,
  title,
  description,
  children,
  onCloseFocus,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: ReactNode;
  description?: ReactNode;
  children: ReactNode;
  onCloseFocus?: () => HTMLElement | null | undefined;
}) {
  return (
    <Dialog.Root open={open} onOpenChange={onOpenChange}>
      <Dialog.Portal>
        <Dialog.Overlay className={styles.overlay} />
        <Dialog.Content
          className={styles.panel}
          // Without a description Radix wants aria-describedby set to undefined on purpose.
          {...(description ? {} : { 'aria-describedby': undefined })}
          onCloseAutoFocus={(event) => {
            const target = onCloseFocus?.();
            if (target) {
              event.preventDefault();
              target.focus();
            }
          }}
        >
          <header className={styles.header}>
            <Dialog.Title className={styles.title}>{title}</Dialog.Title>
            <Dialog.Close className={styles.close} aria-label="Close">
              <X aria-hidden size={18} />
            </Dialog.Close>
          </header>
          {description ? <Dialog.Description className="small muted">{description}</Dialog.Description> : null}
          <div className={styles.body}>{children}</div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
