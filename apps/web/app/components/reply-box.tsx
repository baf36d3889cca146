import type { RouterOutputs } from "@audnix/api/client";
import { useFetcher } from "@remix-run/react";
import { useEffect, useState } from "react";
import type { ReplyActionResult } from "../leads/reply-actions.server.ts";
import { CHANNEL_NAMES } from "../leads/lead-labels.ts";
import { PreviewGrounding } from "./lead-needs-owner.tsx";

type ReplyChannels = RouterOutputs["leads"]["replyChannels"];
type Channel = ReplyChannels["channels"][number]["channel"];

const newClientMessageId = () => crypto.randomUUID();

/**
 * The owner's own reply. The channel picker lists the channels the platforms allow now (with how
 * the reply goes out there) and says why the others are closed; "Draft a reply" fills the box with
 * the AI's draft to edit; Send goes through the same exactly-once path as the AI's messages.
 */
export function ReplyBox({ replyChannels, aiPaused }: { replyChannels: ReplyChannels; aiPaused: boolean }) {
  const open = replyChannels.channels.filter((option) => option.open);
  const closed = replyChannels.channels.filter((option) => !option.open);
  const [channel, setChannel] = useState<Channel | null>(open[0]?.channel ?? null);
  const [body, setBody] = useState("");
  // One id per message the owner writes: a double click or a resubmitted request sends it once.
  const [clientMessageId, setClientMessageId] = useState(newClientMessageId);
  const send = useFetcher<ReplyActionResult>();
  const draft = useFetcher<ReplyActionResult>();
  const sending = send.state !== "idle";
  const drafting = draft.state !== "idle";
  const sent = send.state === "idle" ? send.data : undefined;
  const drafted = draft.state === "idle" ? draft.data : undefined;

  // A reply that went out empties the box for the next one; a refused one keeps the text.
  useEffect(() => {
    if (sent?.ok && sent.intent === "reply" && sent.clientMessageId === clientMessageId) {
      setBody("");
      setClientMessageId(newClientMessageId());
    }
  }, [sent, clientMessageId]);
  useEffect(() => {
    if (drafted?.ok && drafted.intent === "draft-reply") setBody(drafted.draft.text);
  }, [drafted]);

  const selected = open.find((option) => option.channel === channel) ?? open[0] ?? null;
  const template = selected?.mode === "template";

  return (
    <section className="card reply-box" aria-labelledby="reply-title" data-testid="reply-box">
      <h2 id="reply-title">Reply yourself</h2>
      {replyChannels.optedOut ? (
        <p className="muted">This lead opted out: nothing more can be sent to them.</p>
      ) : selected === null ? (
        <p className="muted">You can't reply to this lead right now.</p>
      ) : (
        <send.Form method="post" className="reply-box__form">
          <input type="hidden" name="intent" value="reply" />
          <input type="hidden" name="clientMessageId" value={clientMessageId} />
          <fieldset className="reply-box__channels">
            <legend>Send on</legend>
            {open.map((option) => (
              <div key={option.channel} className="settings-form__check">
                <input
                  id={`reply-channel-${option.channel}`}
                  type="radio"
                  name="channel"
                  value={option.channel}
                  checked={selected.channel === option.channel}
                  onChange={() => setChannel(option.channel)}
                  aria-describedby={`reply-channel-${option.channel}-note`}
                />
                <label htmlFor={`reply-channel-${option.channel}`}>{CHANNEL_NAMES[option.channel]}</label>
                <p id={`reply-channel-${option.channel}-note`} className="muted settings-form__hint">
                  {option.text}
                </p>
              </div>
            ))}
          </fieldset>
          {template ? (
            // The owner's words cannot go there now: only the approved template can.
            <input type="hidden" name="body" value={`WhatsApp template "${replyChannels.whatsappTemplateName ?? ""}"`} />
          ) : (
            <div className="field">
              <label htmlFor="reply-body">Your reply</label>
              <textarea id="reply-body" name="body" rows={4} value={body} onChange={(event) => setBody(event.target.value)} maxLength={10_000} />
            </div>
          )}
          <p className="muted">
            {replyChannels.replyPausesAi
              ? aiPaused
                ? "The AI is paused for this lead."
                : "Sending pauses the AI for this lead (Settings: When you reply yourself)."
              : "The AI keeps following up after your reply (Settings: When you reply yourself)."}
          </p>
          <div className="reply-box__actions">
            <button type="submit" className="button button--primary" disabled={sending || (!template && body.trim() === "")} aria-busy={sending}>
              {sending ? "Sending…" : template ? "Send the template" : "Send"}
            </button>
            {template ? null : (
              <button
                type="button"
                className="button"
                disabled={drafting || sending}
                aria-busy={drafting}
                onClick={() => draft.submit({ intent: "draft-reply" }, { method: "post" })}
              >
                {drafting ? "Drafting…" : "Draft a reply"}
              </button>
            )}
          </div>
          {drafted?.ok && drafted.intent === "draft-reply" && !template ? (
            <div role="status" data-testid="reply-draft-note">
              <p className="muted">The AI's draft is in the box: edit it, then send. Nothing is sent until you press Send.</p>
              <PreviewGrounding sources={drafted.draft.sources} unanswered={drafted.draft.unanswered} />
            </div>
          ) : null}
          {drafted && !drafted.ok ? (
            <p role="alert" className="field-error">
              {drafted.error}
            </p>
          ) : null}
          {sent && !sent.ok ? (
            <p role="alert" className="field-error">
              {sent.error}
            </p>
          ) : null}
          {sent?.ok && sent.intent === "reply" ? <p role="status">{sent.message}</p> : null}
        </send.Form>
      )}
      {closed.length > 0 ? (
        <>
          <p id="reply-closed-title" className="reply-box__closed-title">
            Closed now
          </p>
          <ul className="reply-box__closed" aria-labelledby="reply-closed-title" data-testid="reply-closed-channels">
            {closed.map((option) => (
              <li key={option.channel} className="muted">
                {option.text}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
