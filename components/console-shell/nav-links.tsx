'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';

export const NAV_ITEMS = [
  { href: '/', label: 'Home' },
  { href: '/meters', label: 'Meters' },
  { href: '/event-stores', label: 'Event Stores' },
  { href: '/event-definitions', label: 'Event Definitions' },
  { href: '/custom-events', label: 'Custom Events' },
  { href: '/runs', label: 'Runs' },
  { href: '/settings/api-keys', label: 'API Keys' },
] as const;

const OWNER_ITEMS = [{ href: '/settings/audit', label: 'Audit Log' }] as const;

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
                {item.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
