import type { RouterOutputs } from "@audnix/api/client";
import { useFetcher } from "@remix-run/react";
import type { FollowUpActionResult, FollowUpIntent } from "../follow-ups/lead-actions.server.ts";
import { CHANNEL_NAMES } from "../leads/lead-labels.ts";
import { formatAmount } from "../billing/format-amount.ts";
import { TextField } from "./form-field.tsx";
import { LocalTime } from "./local-time.tsx";

type FollowUps = RouterOutputs["followUps"]["forLead"];
type IdleReason = NonNullable<FollowUps["idle"]>;

/** Nothing planned, and nothing stops a step either: what is going on instead. */
type OpenIdleReason = Extract<IdleReason, "replying" | "sending_now" | "finished" | "not_started">;

const IDLE_TEXT: Record<OpenIdleReason, string> = {
  replying: "The AI is preparing a reply to the lead's latest message.",
  sending_now: "The next follow-up is being sent now.",
  finished: "The follow-up sequence has finished. The AI answers if the lead writes again.",
  not_started: "No follow-up planned. The AI answers this lead's next message.",
};

const isOpenIdleReason = (idle: IdleReason | null): idle is OpenIdleReason => idle !== null && idle in IDLE_TEXT;

const STATUS_TEXT: Record<FollowUps["history"][number]["status"], string> = {
  planned: "planned",
  sending: "sending",
  sent: "sent",
  cancelled: "cancelled",
  skipped: "skipped",
  failed: "failed",
};

/** The lead page's follow-up controls: what happens next, and the owner's levers on it. */
export function FollowUpPanel({ followUps }: { followUps: FollowUps }) {
  const fetcher = useFetcher<FollowUpActionResult>();
  const busyIntent = fetcher.state !== "idle" ? (fetcher.formData?.get("intent") as FollowUpIntent | null) : null;
  const result = fetcher.state === "idle" ? fetcher.data : undefined;
  // From the data, not the click: a step marked by "Follow up now" (or being sent) disables the
  // button, and so does core's verdict (`block`), which the server's refusal gives word for word.
  const { nextStep, followUpNow } = followUps;
  const { block } = followUpNow;
  const replying = followUps.idle === "replying";
  const idleText = isOpenIdleReason(followUps.idle) ? IDLE_TEXT[followUps.idle] : null;

  return (
    <section className="card follow-up-panel" aria-labelledby="follow-up-title" data-testid="follow-up-panel">
      <h2 id="follow-up-title">Follow-ups</h2>
      {nextStep ? (
        <p data-testid="next-follow-up" id="next-follow-up">
          Next follow-up (step {nextStep.step}) on {CHANNEL_NAMES[nextStep.channel]}: <LocalTime date={nextStep.plannedAt} />
          {nextStep.reason ? <span className="muted"> · {nextStep.reason}</span> : null}
        </p>
      ) : (
        <p data-testid="next-follow-up" id="next-follow-up" className="muted">
          {replying ? idleText : (block?.message ?? idleText)}
          {replying && followUps.replyEta ? <span data-testid="reply-eta"> {followUps.replyEta}.</span> : null}
        </p>
      )}
      {/* The line above talks about the reply on its way; why the button is off is said here. */}
      {replying && block ? (
        <p className="muted" id="follow-up-now-reason" data-testid="follow-up-now-reason">
          {block.message}
        </p>
      ) : null}

      <div className="follow-up-panel__actions">
        <fetcher.Form method="post">
          <input type="hidden" name="intent" value="follow-up-now" />
          <input type="hidden" name="step" value={followUpNow.step} />
          <button
            type="submit"
            className="button button--primary"
            disabled={block !== null || followUpNow.pending || busyIntent !== null}
            aria-busy={busyIntent === "follow-up-now"}
            aria-describedby={block ? (replying ? "follow-up-now-reason" : "next-follow-up") : undefined}
          >
            {busyIntent === "follow-up-now" ? "Sending…" : followUpNow.pending ? "Follow-up on its way…" : "Follow up now"}
          </button>
        </fetcher.Form>
        {followUps.paused ? (
          <fetcher.Form method="post" className="follow-up-panel__resume">
            <input type="hidden" name="intent" value="resume" />
            <label>
              <input type="checkbox" name="followUpNow" /> Also send the next follow-up now
            </label>
            <button type="submit" className="button" disabled={busyIntent !== null} aria-busy={busyIntent === "resume"}>
              {busyIntent === "resume" ? "Resuming…" : "Resume AI"}
            </button>
          </fetcher.Form>
        ) : (
          <fetcher.Form method="post">
            <input type="hidden" name="intent" value="pause" />
            <button type="submit" className="button button--ghost" disabled={followUps.optedOut || busyIntent !== null} aria-busy={busyIntent === "pause"}>
              {busyIntent === "pause" ? "Pausing…" : "Pause AI"}
            </button>
          </fetcher.Form>
        )}
      </div>
      {followUps.paused ? (
        <p className="muted">Resuming lets the AI answer the lead's next message; tick the box to send the next follow-up right away.</p>
      ) : null}

      {result?.ok === false ? (
        <p role="alert" className="field-error">
          {result.error}
        </p>
      ) : null}
      <LeadConversion followUps={followUps} fetcher={fetcher} busy={busyIntent !== null} />
      {/* One live region for every outcome, so each is announced; a conversion offers its undo right there. */}
      <div role="status" className="follow-up-panel__outcome">
        {result?.ok ? (
          <div className="follow-up-panel__outcome-line">
            <p>{result.message}</p>
            {result.intent === "mark-converted" && followUps.conversion ? (
              <fetcher.Form method="post">
                <input type="hidden" name="intent" value="undo-converted" />
                <button type="submit" className="button button--ghost" disabled={busyIntent !== null}>
                  Undo
                </button>
              </fetcher.Form>
            ) : null}
          </div>
        ) : null}
      </div>

      {followUps.history.length > 0 ? (
        <ol className="follow-up-history" aria-label="Follow-up steps">
          {followUps.history.map((row) => (
            <li key={row.id} data-testid="follow-up-step">
              Step {row.step} · {CHANNEL_NAMES[row.channel]} ·{" "}
              {/* A planned step is not sent while the lead waits for the owner: the engine holds it when it comes due. */}
              {row.status === "planned" && followUps.waitingForOwner ? "held until you mark the lead as handled" : STATUS_TEXT[row.status]} ·{" "}
              <LocalTime date={row.plannedAt} />
              {row.reason ? <span className="muted"> ({row.reason})</span> : null}
            </li>
          ))}
        </ol>
      ) : null}
    </section>
  );
}

type PanelFetcher = ReturnType<typeof useFetcher<FollowUpActionResult>>;

/**
 * "Mark as converted" asks first, inside a disclosure (works without JavaScript, nothing happens on
 * a stray click), and takes what the lead was worth. A converted lead shows when and what, and
 * "Undo conversion".
 */
function LeadConversion({ followUps, fetcher, busy }: { followUps: FollowUps; fetcher: PanelFetcher; busy: boolean }) {
  const { conversion } = followUps;
  if (conversion) {
    return (
      <div className="follow-up-panel__conversion" data-testid="lead-conversion">
        <p>
          Converted <LocalTime date={conversion.convertedAt} />
          {conversion.valueMinor !== null && conversion.currency ? ` · ${formatAmount(conversion.valueMinor, conversion.currency)}` : null}
        </p>
        <fetcher.Form method="post">
          <input type="hidden" name="intent" value="undo-converted" />
          <button type="submit" className="button button--ghost" disabled={busy}>
            Undo conversion
          </button>
        </fetcher.Form>
        <p className="muted">Undo gives the lead back its earlier status. Follow-ups the conversion cancelled are not planned again.</p>
      </div>
    );
  }
  // Already converted before values were kept (no conversion row to show): nothing to mark.
  if (followUps.idle === "converted") return null;
  return (
    <details className="confirm-step">
      <summary className="button button--ghost">Mark as converted…</summary>
      <fetcher.Form method="post" className="confirm-step__form" aria-label="Mark as converted">
        <input type="hidden" name="intent" value="mark-converted" />
        <p>Mark this lead as converted? The AI stops following up and cancels the planned follow-ups. You can undo this.</p>
        <div className="confirm-step__row">
          <TextField
            id="conversion-value"
            name="value"
            label="Value (optional)"
            inputMode="decimal"
            autoComplete="off"
            maxLength={20}
            hint="What the sale or booking was worth, e.g. 1250.50."
          />
          <TextField
            id="conversion-currency"
            name="currency"
            label="Currency"
            defaultValue={followUps.defaultCurrency}
            maxLength={3}
            autoComplete="off"
            autoCapitalize="characters"
            hint="ISO 4217 code, e.g. USD, EUR."
          />
        </div>
        <button type="submit" className="button button--primary" disabled={busy} aria-busy={fetcher.formData?.get("intent") === "mark-converted"}>
          {fetcher.formData?.get("intent") === "mark-converted" ? "Saving…" : "Mark as converted"}
        </button>
      </fetcher.Form>
    </details>
  );
}
