'use client';

import { DropdownMenu as Menu } from 'radix-ui';

/**
 * The kit's dropdown menu: Radix's (roving focus with arrow keys, type-ahead, Escape returns focus to the
 * trigger); arrowing only moves focus, an item acts on Enter, Space or click. Compose with the parts below.
 */
export function DropdownMenu({ children }: { children: React.ReactNode }) {
  // Not modal: a modal menu hides the rest of the page from assistive technology (aria-hidden) while it
  // stays focusable, which axe reports as serious (aria-hidden-focus). Escape and outside clicks still close it.
  return <Menu.Root modal={false}>{children}</Menu.Root>;
}
export const DropdownMenuTrigger = Menu.Trigger;

export function DropdownMenuContent({ children, label, align = 'start' }: { children: React.ReactNode; label?: string; align?: 'start' | 'end' }) {
  return (
    <Menu.Portal>
      <Menu.Content className="menu" align={align} sideOffset={4} collisionPadding={8} aria-label={label}>
        {children}
      </Menu.Content>
    </Menu.Portal>
  );
}

export function DropdownMenuItem({
  children,
  onSelect,
  disabled,
  current,
}: {
  children: React.ReactNode;
  onSelect?: (event: Event) => void;
  disabled?: boolean;
  /** Marks the item that is the current choice (announced as "current"). */
  current?: boolean;
}) {
  return (
    <Menu.Item className="menu-item" onSelect={onSelect} disabled={disabled} aria-current={current ? 'true' : undefined}>
      {children}
    </Menu.Item>
  );
}

export function DropdownMenuLabel({ children }: { children: React.ReactNode }) {
  return <Menu.Label className="menu-label">{children}</Menu.Label>;
}

export const DropdownMenuSeparator = () => <Menu.Separator className="menu-separator" />;
