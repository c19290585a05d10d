'use client';

import { Tabs as RadixTabs } from 'radix-ui';

export interface TabItem {
  value: string;
  label: React.ReactNode;
  content: React.ReactNode;
}

/** Tabs on Radix (arrow keys move between tabs, each panel labelled by its tab). */
export function Tabs({ tabs, defaultValue, label }: { tabs: TabItem[]; defaultValue?: string; label: string }) {
  return (
    <RadixTabs.Root className="tabs" defaultValue={defaultValue ?? tabs[0]?.value}>
      <RadixTabs.List className="tabs-list" aria-label={label}>
        {tabs.map((tab) => (
          <RadixTabs.Trigger key={tab.value} value={tab.value} className="tabs-trigger">
            {tab.label}
          </RadixTabs.Trigger>
        ))}
      </RadixTabs.List>
      {tabs.map((tab) => (
        <RadixTabs.Content key={tab.value} value={tab.value} className="tabs-content">
          {tab.content}
        </RadixTabs.Content>
      ))}
    </RadixTabs.Root>
  );
}
