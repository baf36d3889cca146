import { Link } from "@remix-run/react";
import type { ReactNode } from "react";

export function BrandLink() {
  return (
    <Link to="/" className="brand">
      Audnix<span className="brand__accent"> AI</span>
    </Link>
  );
}

/** The bar on top of every page: the brand, and whatever action the page offers on the right. */
export function SiteHeader({ children }: { children: ReactNode }) {
  return (
    <header className="site-header">
      <BrandLink />
      {children}
    </header>
  );
}
