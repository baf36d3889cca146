import type { HeadersFunction, LinksFunction, MetaFunction } from "@remix-run/node";
import { Link, Links, Meta, Outlet, Scripts, ScrollRestoration, isRouteErrorResponse, useRouteError } from "@remix-run/react";
import type { ReactNode } from "react";
import { useNonce } from "./nonce-context.ts";
import stylesHref from "./styles/app.css?url";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesHref },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

// Errors render in this route's boundary, so these are the error page's headers: a refused
// request (429) keeps the Retry-After its route threw. Other pages' own headers replace these.
export const headers: HeadersFunction = ({ errorHeaders }) => {
  const headers = new Headers();
  const retryAfter = errorHeaders?.get("Retry-After");
  if (retryAfter) headers.set("Retry-After", retryAfter);
  return headers;
};

export const meta: MetaFunction = () => [
  { title: "Audnix AI: every message becomes a lead" },
  {
    name: "description",
    content: "Audnix turns people who message you on Instagram, WhatsApp and email into leads and follows up for you.",
  },
];

export function Layout({ children }: { children: ReactNode }) {
  const nonce = useNonce();
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <Meta />
        <Links />
      </head>
      <body>
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

/** What the error page says: only our own words, never an error's message or stack. */
function describeError(error: unknown): { title: string; detail: string } {
  if (isRouteErrorResponse(error) && error.status === 404) {
    return { title: "We couldn't find that page", detail: "The link may be old or mistyped." };
  }
  // A rate limit's refusal is a sentence of ours (rate-limit.server.ts) saying when to come back.
  if (isRouteErrorResponse(error) && error.status === 429 && typeof error.data === "string") {
    return { title: "Please slow down", detail: error.data };
  }
  return { title: "Something went wrong", detail: "Please try again in a moment. If it keeps happening, tell us and we'll look into it." };
}

export function ErrorBoundary() {
  const { title, detail } = describeError(useRouteError());
  // Details stay in the server log; the visitor gets a way forward.
  return (
    <main className="page page--centered">
      <section className="card card--narrow" aria-labelledby="error-title">
        <h1 id="error-title">{title}</h1>
        <p className="muted">{detail}</p>
        <Link className="button button--primary" to="/">
          Back to the home page
        </Link>
      </section>
    </main>
  );
}
