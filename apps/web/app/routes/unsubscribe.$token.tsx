import { findUnsubscribeLead, unsubscribeByToken } from "@audnix/db";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { db } from "../db.server.ts";

// The link in every follow-up email. GET only shows a confirmation (mail scanners and link
// previews open links, and must not unsubscribe anyone); POST unsubscribes, which also serves
// RFC 8058 one-click (List-Unsubscribe-Post: List-Unsubscribe=One-Click), posted by mail clients
// from their own origin, hence no same-origin check here. The token alone authorizes it.

export const meta: MetaFunction = () => [{ title: "Unsubscribe" }, { name: "robots", content: "noindex" }];

export async function loader({ params }: LoaderFunctionArgs) {
  const lead = await findUnsubscribeLead(db, params.token ?? "");
  return data({ known: lead !== null }, { status: lead ? 200 : 404, headers: { "Cache-Control": "no-store" } });
}

export async function action({ params }: ActionFunctionArgs) {
  const done = await unsubscribeByToken(db, { token: params.token ?? "", now: new Date() });
  return data({ done }, { status: done ? 200 : 404, headers: { "Cache-Control": "no-store" } });
}

export default function Unsubscribe() {
  const { known } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <main className="page page--centered">
      <section className="card auth" aria-labelledby="unsubscribe-title">
        <h1 id="unsubscribe-title">Unsubscribe</h1>
        {result?.done ? (
          <p role="status">You are unsubscribed. You will not receive any more messages from us.</p>
        ) : !known || result ? (
          <p role="alert">This unsubscribe link is not valid. If you keep receiving messages, reply STOP.</p>
        ) : (
          <Form method="post">
            <p>Stop all follow-up messages from this business, on every channel?</p>
            <button type="submit" className="button button--primary">
              Unsubscribe
            </button>
          </Form>
        )}
      </section>
    </main>
  );
}
