import type { RouterOutputs } from "@audnix/api/client";
import { Link, useFetcher } from "@remix-run/react";
import type { action as clearNeedsOwnerAction } from "../routes/dashboard.leads.$leadId.needs-owner.ts";

type NeedsOwner = NonNullable<RouterOutputs["leads"]["byId"]["needsOwner"]>;

/** What the owner should do, per reason (docs/decisions/0027); every reason holds the planned follow-ups until "Mark as handled". */
function NeedsOwnerAdvice({ needsOwner }: { needsOwner: NeedsOwner }) {
  switch (needsOwner.reason) {
    case "unanswered_question":
      return (
        <>
          {needsOwner.title}: <q className="needs-owner__question">{needsOwner.detail}</q>.{" "}
          <Link to="/dashboard/knowledge">Add it to your knowledge base</Link> so the AI can answer it next time, and answer the lead
          yourself: the AI's reply said the team would get back to them.
        </>
      );
    case "send_failed":
      return (
        <>
          {needsOwner.title}
          {needsOwner.detail ? `: ${needsOwner.detail}` : ""}. The conversation below shows which one; reach the lead another way or
          reconnect the channel.
        </>
      );
    case "wrote_while_paused":
      return <>{needsOwner.title}: the AI does not answer while it is paused, so the lead waits for your reply.</>;
    case "wrote_after_sequence_ended":
      return <>{needsOwner.title}: the AI answers their message, and you may want to take it from here.</>;
  }
}

/**
 * On the lead page: why the lead waits for the owner. "Mark as handled" clears the flag once the
 * owner has dealt with it, and resumes the follow-ups it held.
 */
export function LeadNeedsOwnerBanner({ leadId, needsOwner }: { leadId: string; needsOwner: NeedsOwner | null }) {
  const fetcher = useFetcher<typeof clearNeedsOwnerAction>();
  if (!needsOwner) return null;
  const clearing = fetcher.state !== "idle";
  const failed = fetcher.data && !fetcher.data.ok ? fetcher.data.error : null;
  return (
    <div className="banner needs-owner" role="status" data-testid="lead-needs-owner">
      <p className="banner__line">
        <NeedsOwnerAdvice needsOwner={needsOwner} /> Until you mark it as handled, no follow-up is sent (the AI still answers the
        lead's new messages unless it is paused); a follow-up that came due meanwhile goes out when you do.
      </p>
      <fetcher.Form method="post" action={`/dashboard/leads/${leadId}/needs-owner`} className="needs-owner__actions">
        <button type="submit" className="button button--ghost" disabled={clearing} aria-busy={clearing}>
          {clearing ? "Marking as handled…" : "Mark as handled"}
        </button>
      </fetcher.Form>
      {failed ? (
        <p className="flash flash--error" role="alert">
          {failed}
        </p>
      ) : null}
    </div>
  );
}

/** In the lead list: this lead waits for the owner, and why (in the tooltip). */
export function LeadNeedsOwnerBadge({ title }: { title: string | null }) {
  if (!title) return null;
  return (
    <span className="badge badge--needs-owner" data-testid="lead-needs-owner-badge" title={title}>
      Needs you
    </span>
  );
}

/** Under "Preview next message": what the draft was grounded in, and whether sending it would flag the lead. */
export function PreviewGrounding({ sources, unanswered }: { sources: string[]; unanswered: boolean }) {
  return (
    <>
      <p className="muted follow-up-preview__sources">
        {sources.length > 0 ? `From your knowledge base: ${sources.join(" · ")}` : "Nothing in your knowledge base matched the lead's message."}
      </p>
      {unanswered ? (
        <p className="muted" data-testid="follow-up-preview-unanswered">
          The knowledge base does not answer the lead's question: the draft tells them the team will get back to them.
        </p>
      ) : null}
    </>
  );
}
