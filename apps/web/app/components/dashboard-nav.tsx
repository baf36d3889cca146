import { NavLink, useLocation } from "@remix-run/react";
import { useEffect, useRef, type ReactNode } from "react";

/** One dashboard page in the navigation. */
export interface DashboardNavItem {
  to: string;
  label: string;
  /** Marked current only on exactly this path (the Leads page, whose path prefixes every other). */
  end?: boolean;
  /** A number shown after the label ("Needs you (3)"), e.g. leads waiting for the owner; left out when null or 0. */
  count?: number | null;
}

/**
 * The dashboard's pages, in menu order. A new page is one more entry here (and one more row in
 * the e2e page list, apps/web/test/e2e/pages.ts); counts come from the dashboard layout's loader.
 */
export function dashboardNavItems(): DashboardNavItem[] {
  return [
    { to: "/dashboard", label: "Leads", end: true },
    { to: "/dashboard/billing", label: "Billing" },
    { to: "/dashboard/connections", label: "Connections" },
    { to: "/dashboard/knowledge", label: "Knowledge" },
    { to: "/dashboard/settings", label: "Settings" },
  ];
}

function NavLinks({ items }: { items: DashboardNavItem[] }) {
  return (
    <ul className="site-nav__list">
      {items.map((item) => (
        <li key={item.to}>
          {/* NavLink marks the current page with aria-current="page" and the "active" class. */}
          <NavLink to={item.to} end={item.end ?? false}>
            {item.label}
            {item.count ? <span className="site-nav__count"> ({item.count})</span> : null}
          </NavLink>
        </li>
      ))}
    </ul>
  );
}

/** The dashboard navigation in the header, on wide screens (48rem and up). */
export function DashboardNav({ items }: { items: DashboardNavItem[] }) {
  return (
    <nav aria-label="Dashboard" className="site-nav site-nav--header wide-only">
      <NavLinks items={items} />
    </nav>
  );
}

/**
 * The same navigation on narrow screens (below 48rem): a "Menu" disclosure holding the links and
 * `extra` (Sign out), so every page stays reachable at 390 px. <details> opens and closes without
 * JavaScript; with it, the menu also closes on Escape and once a link is followed.
 */
export function DashboardMenu({ items, extra }: { items: DashboardNavItem[]; extra: ReactNode }) {
  const menu = useRef<HTMLDetailsElement>(null);
  const { pathname, search } = useLocation();
  useEffect(() => {
    if (menu.current) menu.current.open = false;
  }, [pathname, search]);

  return (
    <details
      ref={menu}
      className="site-menu"
      onKeyDown={(event) => {
        if (event.key !== "Escape" || !menu.current?.open) return;
        menu.current.open = false;
        menu.current.querySelector("summary")?.focus();
      }}
    >
      <summary className="button button--ghost site-menu__toggle">Menu</summary>
      <div className="site-menu__panel">
        <nav aria-label="Dashboard" className="site-nav">
          <NavLinks items={items} />
        </nav>
        {extra}
      </div>
    </details>
  );
}
