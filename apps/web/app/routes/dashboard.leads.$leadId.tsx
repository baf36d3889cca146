import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { isRouteErrorResponse, Link, useLoaderData, useRouteError } from "@remix-run/react";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { FollowUpPanel } from "../components/follow-up-panel.tsx";
import { LeadDetails } from "../components/lead-details.tsx";
import { LeadFactsPanel } from "../components/lead-facts-panel.tsx";
import { LeadInstagramProfile } from "../components/lead-instagram-profile.tsx";
import { LeadNeedsOwnerBanner } from "../components/lead-needs-owner.tsx";
import { LeadConversation } from "../components/lead-conversation.tsx";
import { ReplyBox } from "../components/reply-box.tsx";
import { keepInputWhenUnreachable, skipRevalidationWhenUnreachable, UNREACHABLE_MESSAGE } from "../forms/keep-input-when-unreachable.ts";
import { handleFollowUpAction, type FollowUpActionResult } from "../follow-ups/lead-actions.server.ts";
import { handleReplyAction, isReplyIntent, type ReplyActionResult } from "../leads/reply-actions.server.ts";
import { useLiveRevalidation } from "../live/use-live-updates.ts";
import { privatePageHeaders } from "../private-page-headers.ts";
import { requireUserId } from "../session.server.ts";
import { createServerCaller } from "../trpc.server.ts";

export const headers = privatePageHeaders;

export const meta: MetaFunction<typeof loader> = ({ data: page }) => [
  { title: `${page?.lead.displayName ?? "Lead"} · Audnix AI` },
];

const leadIdSchema = z.uuid();

export async function loader({ request, params }: LoaderFunctionArgs) {
  const caller = createServerCaller(await requireUserId(request));
  const id = leadIdSchema.safeParse(params.leadId);
  if (!id.success) throw data("Lead not found", { status: 404 });
  try {
    const [page, followUps, replyChannels] = await Promise.all([
      caller.leads.byId({ id: id.data }),
      caller.followUps.forLead({ leadId: id.data }),
      caller.leads.replyChannels({ leadId: id.data }),
    ]);
    return { ...page, followUps, replyChannels };
  } catch (error) {
    // Another owner's lead is invisible (row-level security): it is "not found", not "forbidden".
    if (error instanceof TRPCError && error.code === "NOT_FOUND") throw data("Lead not found", { status: 404 });
    throw error;
  }
}

/** The follow-up panel's buttons (follow up now, preview, pause, resume), the reply box and Retry. */
export async function action({ request, params }: ActionFunctionArgs) {
  const userId = await requireUserId(request);
  const id = leadIdSchema.safeParse(params.leadId);
  if (!id.success) throw data("Lead not found", { status: 404 });
  const form = await request.formData();
  return isReplyIntent(form) ? handleReplyAction(userId, id.data, form) : handleFollowUpAction(userId, id.data, form);
}

export const clientAction = keepInputWhenUnreachable<FollowUpActionResult | ReplyActionResult>(() => ({ ok: false, error: UNREACHABLE_MESSAGE }));

export const shouldRevalidate = skipRevalidationWhenUnreachable;

export default function LeadPage() {
  const { lead, messages, followUpNote, needsOwner, earlierMessagesHidden, followUps, replyChannels } = useLoaderData<typeof loader>();
  const leadName = lead.displayName ?? "Unnamed lead";
  // Only this lead's events reload the conversation; other leads' messages leave it alone.
  useLiveRevalidation({ relevant: (event) => event.leadId === lead.id });

  return (
    <>
      <p>
        <Link to="/dashboard">← All leads</Link>
      </p>
      <div className="lead-page">
        <div className="lead-page__main">
          <section className="card" aria-labelledby="conversation-title">
            <h1 id="conversation-title">{leadName}</h1>
            <LeadInstagramProfile lead={lead} />
            <LeadNeedsOwnerBanner leadId={lead.id} needsOwner={needsOwner} />
            {followUpNote ? (
              <p className="banner" role="status" data-testid="lead-follow-up-block">
                {followUpNote}
              </p>
            ) : null}
            {earlierMessagesHidden ? <p className="muted">Showing the latest {messages.length} messages.</p> : null}
            <LeadConversation messages={messages} leadName={leadName} />
          </section>
          <ReplyBox replyChannels={replyChannels} aiPaused={followUps.paused} />
        </div>
        <div className="lead-page__side">
          <FollowUpPanel followUps={followUps} />
          <LeadDetails lead={lead} />
          <LeadFactsPanel leadId={lead.id} />
        </div>
      </div>
    </>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const notFound = isRouteErrorResponse(error) && error.status === 404;
  return (
    <section className="card" aria-labelledby="lead-error-title">
      <h1 id="lead-error-title">{notFound ? "We couldn't find that lead" : "Something went wrong"}</h1>
      <p className="muted">
        {notFound ? "It may have been deleted, or the link is mistyped." : "Please try again in a moment."}
      </p>
      <Link to="/dashboard">Back to all leads</Link>
    </section>
  );
}
