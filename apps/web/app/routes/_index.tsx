import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { getUserId } from "../session.server.ts";
import { SiteHeader } from "../components/site-header.tsx";

export async function loader({ request }: LoaderFunctionArgs) {
  return { signedIn: (await getUserId(request)) !== null };
}

const features = [
  {
    title: "Every message becomes a lead",
    body: "Anyone who messages your business on Instagram, WhatsApp or email lands in one list, with the whole conversation.",
  },
  {
    title: "Follow-ups that sound like you",
    body: "AI replies in your brand voice and greets each lead by first name, so no one gets a form letter.",
  },
  {
    title: "Human timing",
    body: "Replies go out after a natural, varied delay and never during the lead's quiet hours.",
  },
  {
    title: "Within platform rules",
    body: "Messaging windows, opt-outs and unsubscribe links are respected on every channel, automatically.",
  },
];

export default function Landing() {
  const { signedIn } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <SiteHeader>
        <nav aria-label="Account">
          {signedIn ? (
            <Link to="/dashboard">Dashboard</Link>
          ) : (
            <Link to="/auth">Sign in</Link>
          )}
        </nav>
      </SiteHeader>

      <main>
        <section className="hero" aria-labelledby="hero-title">
          <h1 id="hero-title">Turn every DM into a customer.</h1>
          <p className="hero__lead">
            Audnix captures everyone who messages your business on Instagram, WhatsApp and email as a lead, then follows up
            for you with short, human replies until they buy, reply or opt out.
          </p>
          {signedIn ? (
            <Link className="button button--primary button--large" to="/dashboard">
              Open dashboard
            </Link>
          ) : (
            <Link className="button button--primary button--large" to="/auth">
              Start Free Trial
            </Link>
          )}
          {signedIn ? null : <p className="muted">3-day free trial. No card needed.</p>}
        </section>

        <section className="features" aria-label="What Audnix does">
          {features.map((feature) => (
            <article key={feature.title} className="feature">
              <h2>{feature.title}</h2>
              <p>{feature.body}</p>
            </article>
          ))}
        </section>
      </main>

      <footer className="site-footer muted">© Audnix AI</footer>
    </div>
  );
}
