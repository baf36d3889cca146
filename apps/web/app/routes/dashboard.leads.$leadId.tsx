import type { RouterOutputs } from "@audnix/api/client";
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
import { LocalTime } from "../components/local-time.tsx";
import { MessageDeliveryStatus } from "../components/message-delivery-status.tsx";
import { keepInputWhenUnreachable, skipRevalidationWhenUnreachable, UNREACHABLE_MESSAGE } from "../forms/keep-input-when-unreachable.ts";
import { handleFollowUpAction, type FollowUpActionResult } from "../follow-ups/lead-actions.server.ts";
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
    const [page, followUps] = await Promise.all([caller.leads.byId({ id: id.data }), caller.followUps.forLead({ leadId: id.data })]);
    return { ...page, followUps };
  } catch (error) {
    // Another owner's lead is invisible (row-level security): it is "not found", not "forbidden".
    if (error instanceof TRPCError && error.code === "NOT_FOUND") throw data("Lead not found", { status: 404 });
    throw error;
  }
}

/** The follow-up panel's buttons (follow up now, preview, pause, resume). */
export async function action({ request, params }: ActionFunctionArgs) {
  const userId = await requireUserId(request);
  const id = leadIdSchema.safeParse(params.leadId);
  if (!id.success) throw data("Lead not found", { status: 404 });
  return handleFollowUpAction(userId, id.data, await request.formData());
}

export const clientAction = keepInputWhenUnreachable<FollowUpActionResult>(() => ({ ok: false, error: UNREACHABLE_MESSAGE }));

export const shouldRevalidate = skipRevalidationWhenUnreachable;

type LeadPage = RouterOutputs["leads"]["byId"];

export default function LeadConversation() {
  const { lead, messages, followUpNote, needsOwner, earlierMessagesHidden, followUps } = useLoaderData<typeof loader>();
  const leadName = lead.displayName ?? "Unnamed lead";
  // Only this lead's events reload the conversation; other leads' messages leave it alone.
  useLiveRevalidation({ relevant: (event) => event.leadId === lead.id });

  return (
    <>
      <p>
        <Link to="/dashboard">← All leads</Link>
      </p>
      <div className="lead-page">
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
          {messages.length === 0 ? (
            <p className="empty-state">No messages in this conversation yet.</p>
          ) : (
            <ol className="timeline" aria-label="Conversation">
              {messages.map((message) => (
                <TimelineMessage key={message.id} message={message} leadName={leadName} />
              ))}
            </ol>
          )}
        </section>
        <div className="lead-page__side">
          <FollowUpPanel followUps={followUps} />
          <LeadDetails lead={lead} />
          <LeadFactsPanel leadId={lead.id} />
        </div>
      </div>
    </>
  );
}

function TimelineMessage({ message, leadName }: { message: LeadPage["messages"][number]; leadName: string }) {
  const author = message.direction === "inbound" ? leadName : "You";
  return (
    <li className={`bubble bubble--${message.direction}`} data-testid="timeline-message">
      <span className="bubble__author">{author}</span>
      {message.body ? <p className="bubble__text">{message.body}</p> : null}
      {message.attachments.length > 0 ? (
        <ul className="bubble__attachments" aria-label="Attachments">
          {message.attachments.map((attachment, index) => (
            <li key={index}>
              {/* Only web links: a stored javascript: or data: URL must never become clickable. */}
              {attachment.url?.startsWith("https://") ? (
                <a href={attachment.url} target="_blank" rel="noreferrer noopener">
                  {attachment.fileName ?? `${attachment.type} attachment`}
                </a>
              ) : (
                (attachment.fileName ?? `${attachment.type} attachment`)
              )}
            </li>
          ))}
        </ul>
      ) : null}
      <span className="bubble__time muted">
        <LocalTime date={message.sentAt} />
      </span>
      <MessageDeliveryStatus message={message} />
    </li>
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
