import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { SummaryBody } from "../components/summary-body.tsx";
import { SummaryStatus } from "../components/summary-status.tsx";
import { useRefreshWhile } from "../components/use-refresh-while.ts";
import { privatePageHeaders } from "../private-page-headers.ts";
import { requireUserId } from "../session.server.ts";
import { summaryForPage } from "../summaries/summary-text.server.ts";
import { createServerCaller } from "../trpc.server.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.summary.title ?? "Summary"} · Audnix AI` }];

export const headers = privatePageHeaders;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const caller = createServerCaller(await requireUserId(request));
  const id = z.uuid().safeParse(params.summaryId);
  if (!id.success) throw new Response("Summary not found.", { status: 404 });
  try {
    return { summary: summaryForPage(await caller.summaries.byId({ id: id.data })) };
  } catch (error) {
    if (error instanceof TRPCError && error.code === "NOT_FOUND") throw new Response("Summary not found.", { status: 404 });
    throw error;
  }
}

export default function SummaryPage() {
  const { summary } = useLoaderData<typeof loader>();
  const beingMade = summary.body === null && summary.status === "pending";
  useRefreshWhile(beingMade);
  return (
    <section className="card" aria-labelledby="summary-title">
      <p>
        <Link to="/dashboard/summaries">← All summaries</Link>
      </p>
      <h1 id="summary-title">{summary.title}</h1>
      <p className="muted">
        <SummaryStatus summary={summary} />
      </p>
      {summary.body ? (
        <SummaryBody body={summary.body} />
      ) : beingMade ? (
        <p role="status">This summary is being made. It appears here in a moment.</p>
      ) : (
        <p role="alert">This summary's content cannot be shown (it was stored in a form this version cannot read).</p>
      )}
    </section>
  );
}
