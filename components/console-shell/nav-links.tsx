'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { Activity, BookOpen, Database, FileClock, Gauge, Home, KeyRound, Receipt, Zap, type LucideIcon } from 'lucide-react';

interface NavItem {
  href: string;
  label: string;
  icon: LucideIcon;
}

export const NAV_ITEMS: readonly NavItem[] = [
  { href: '/', label: 'Home', icon: Home },
  { href: '/meters', label: 'Meters', icon: Gauge },
  { href: '/event-stores', label: 'Event Stores', icon: Database },
  { href: '/event-definitions', label: 'Event Definitions', icon: BookOpen },
  { href: '/custom-events', label: 'Custom Events', icon: Zap },
  { href: '/runs', label: 'Runs', icon: Activity },
  { href: '/usage-records', label: 'Usage Records', icon: Receipt },
  { href: '/settings/api-keys', label: 'API Keys', icon: KeyRound },
];

const OWNER_ITEMS: readonly NavItem[] = [{ href: '/settings/audit', label: 'Audit Log', icon: FileClock }];

export function NavLinks({ showOwnerLinks }: { showOwnerLinks: boolean }) {
  const pathname = usePathname();
  const items = showOwnerLinks ? [...NAV_ITEMS, ...OWNER_ITEMS] : NAV_ITEMS;
  return (
    <nav aria-label="Main">
      <ul className="nav">
        {items.map((item) => {
          const active = item.href === '/' ? pathname === '/' : pathname.startsWith(item.href);
          return (
            <li key={item.href}>
              <Link href={item.href} aria-current={active ? 'page' : undefined} className="nav-link">
                <item.icon size={16} aria-hidden="true" />
                {item.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
