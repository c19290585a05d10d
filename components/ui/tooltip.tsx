'use client';

import { Tooltip as RadixTooltip } from 'radix-ui';

/**
 * A tooltip on Radix (opens on hover and on keyboard focus, closes on Escape, announced through
 * aria-describedby). The trigger must be focusable: pass a button or link, or `focusable` to make a
 * plain element (a badge, a date) reachable by Tab.
 */
export function Tooltip({
  content,
  children,
  side = 'top',
}: {
  content: React.ReactNode;
  children: React.ReactElement;
  side?: 'top' | 'right' | 'bottom' | 'left';
}) {
  return (
    <RadixTooltip.Root delayDuration={250}>
      <RadixTooltip.Trigger asChild>{children}</RadixTooltip.Trigger>
      <RadixTooltip.Portal>
        <RadixTooltip.Content className="tooltip" side={side} sideOffset={6} collisionPadding={8}>
          {content}
          <RadixTooltip.Arrow className="tooltip-arrow" />
        </RadixTooltip.Content>
      </RadixTooltip.Portal>
    </RadixTooltip.Root>
  );
}

/** Mounted once by the console shell, so every tooltip shares one delay (moving between triggers is instant). */
export function TooltipProvider({ children }: { children: React.ReactNode }) {
  return <RadixTooltip.Provider delayDuration={250}>{children}</RadixTooltip.Provider>;
}
