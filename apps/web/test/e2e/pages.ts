// Every page of the product, in one list: the layout test visits each at phone and desktop width.
// A new page is one more row here.

/** What some pages' addresses need: made once per test run. */
export interface PageFixture {
  leadId: string;
  unsubscribeToken: string;
}

export interface ProductPage {
  name: string;
  /** Needs the owner's session (the dashboard); public pages are visited signed out. */
  signedIn: boolean;
  path: (fixture: PageFixture) => string;
  /** The page's main heading, waited for before measuring. */
  heading: string | RegExp;
}

export const PRODUCT_PAGES: readonly ProductPage[] = [
  { name: "home", signedIn: false, path: () => "/", heading: "Turn every DM into a customer." },
  { name: "sign in", signedIn: false, path: () => "/auth", heading: "Sign in to start your free trial" },
  { name: "unsubscribe", signedIn: false, path: ({ unsubscribeToken }) => `/unsubscribe/${encodeURIComponent(unsubscribeToken)}`, heading: "Unsubscribe" },
  { name: "not found", signedIn: false, path: () => "/no-such-page", heading: "We couldn't find that page" },
  { name: "leads", signedIn: true, path: () => "/dashboard", heading: /^Welcome/ },
  { name: "needs you", signedIn: true, path: () => "/dashboard?needsYou=1", heading: /^Welcome/ },
  { name: "lead", signedIn: true, path: ({ leadId }) => `/dashboard/leads/${leadId}`, heading: /^Maximiliana/ },
  { name: "billing", signedIn: true, path: () => "/dashboard/billing", heading: "Billing" },
  { name: "connections", signedIn: true, path: () => "/dashboard/connections", heading: "Connections" },
  { name: "knowledge", signedIn: true, path: () => "/dashboard/knowledge", heading: "Knowledge" },
  { name: "settings", signedIn: true, path: () => "/dashboard/settings", heading: "Brand settings" },
  { name: "summaries", signedIn: true, path: () => "/dashboard/summaries", heading: "Summaries" },
];
