import type { RouterOutputs } from "@audnix/api/client";
import { Link, useFetcher } from "@remix-run/react";
import type { action as clearNeedsOwnerAction } from "../routes/dashboard.leads.$leadId.needs-owner.ts";

type NeedsOwner = NonNullable<RouterOutputs["leads"]["byId"]["needsOwner"]>;

/**
 * On the lead page: the AI told the lead the team will get back (the knowledge base did not
 * answer their question), so the owner should. "Mark as handled" clears the flag once the owner
 * has answered or added the answer to the knowledge base, and resumes the follow-ups it held.
 */
export function LeadNeedsOwnerBanner({ leadId, needsOwner }: { leadId: string; needsOwner: NeedsOwner | null }) {
  const fetcher = useFetcher<typeof clearNeedsOwnerAction>();
  if (!needsOwner) return null;
  const clearing = fetcher.state !== "idle";
  const failed = fetcher.data && !fetcher.data.ok ? fetcher.data.error : null;
  return (
    <div className="banner needs-owner" role="status" data-testid="lead-needs-owner">
      <p className="banner__line">
        The AI couldn't answer: <q className="needs-owner__question">{needsOwner.detail}</q>.{" "}
        <Link to="/dashboard/knowledge">Add it to your knowledge base</Link> so the AI can answer it next time, and answer the lead
        yourself: the AI's reply said the team would get back to them. Until you mark it as handled, no follow-up is sent
        (the AI still answers the lead's new messages); a follow-up that came due meanwhile goes out when you do.
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

/** In the lead list: this lead waits for the owner. */
export function LeadNeedsOwnerBadge({ needsOwnerAt }: { needsOwnerAt: Date | null }) {
  if (!needsOwnerAt) return null;
  return (
    <span className="badge badge--needs-owner" data-testid="lead-needs-owner-badge" title="The AI couldn't answer a question: the lead waits for you">
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
          The knowledge base does not answer the lead's question: when this reply is sent, the lead is marked as needing you.
        </p>
      ) : null}
    </>
  );
}
