import { Link, useLocation } from "@remix-run/react";
import { NEEDS_YOU_PATH } from "../leads/lead-filters.ts";
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
export function dashboardNavItems({ needsYouCount }: { needsYouCount: number }): DashboardNavItem[] {
  return [
    { to: "/dashboard", label: "Leads", end: true },
    { to: NEEDS_YOU_PATH, label: "Needs you", end: true, count: needsYouCount },
    { to: "/dashboard/billing", label: "Billing" },
    { to: "/dashboard/connections", label: "Connections" },
    { to: "/dashboard/knowledge", label: "Knowledge" },
    { to: "/dashboard/summaries", label: "Summaries" },
    { to: "/dashboard/settings", label: "Settings" },
  ];
}

/**
 * The item the page at `pathname` + `search` is: the one whose path matches (exactly with `end`,
 * else as a prefix) and whose query parameters the URL all has, the most specific winning, so
 * /dashboard?needsYou=1 is "Needs you" and not "Leads" as well.
 */
export function currentNavItem(items: readonly DashboardNavItem[], pathname: string, search: string): DashboardNavItem | null {
  const params = new URLSearchParams(search);
  let best: { item: DashboardNavItem; score: number } | null = null;
  for (const item of items) {
    const [path = "", query = ""] = item.to.split("?");
    const pathMatches = item.end ? pathname === path : pathname === path || pathname.startsWith(`${path}/`);
    const wanted = [...new URLSearchParams(query)];
    if (!pathMatches || !wanted.every(([name, value]) => params.get(name) === value)) continue;
    const score = path.length * 100 + wanted.length;
    if (!best || score > best.score) best = { item, score };
  }
  return best?.item ?? null;
}

function NavLinks({ items }: { items: DashboardNavItem[] }) {
  const { pathname, search } = useLocation();
  const current = currentNavItem(items, pathname, search);
  return (
    <ul className="site-nav__list">
      {items.map((item) => (
        <li key={item.to}>
          {/* The current page is marked with aria-current="page" and the "active" class. */}
          <Link to={item.to} aria-current={item === current ? "page" : undefined} className={item === current ? "active" : undefined}>
            {item.label}
            {item.count ? <span className="site-nav__count"> ({item.count})</span> : null}
          </Link>
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
