import { DISCONNECT_UNDO_MINUTES } from "@audnix/core";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { ConnectionEmailCard } from "../components/connection-email-card.tsx";
import { ConnectionInstagramCard } from "../components/connection-instagram-card.tsx";
import { ConnectionWhatsappCard } from "../components/connection-whatsapp-card.tsx";
import type { InstagramConnectOutcome } from "../connections/instagram-connect.server.ts";
import { getEnv } from "../env.server.ts";
import { keepInputWhenUnreachable, skipRevalidationWhenUnreachable, UNREACHABLE_MESSAGE } from "../forms/keep-input-when-unreachable.ts";
import { CHANNEL_NAMES } from "../leads/lead-labels.ts";
import { privatePageHeaders } from "../private-page-headers.ts";
import { rateLimitRefusal } from "../rate-limit.server.ts";
import { requireUserId } from "../session.server.ts";
import { createServerCaller } from "../trpc.server.ts";

export const meta: MetaFunction = () => [{ title: "Connections · Audnix AI" }];

export const headers = privatePageHeaders;

export const shouldRevalidate = skipRevalidationWhenUnreachable;

// What the Instagram callback reports in ?instagram=, as the owner reads it.
const instagramOutcomes: Record<InstagramConnectOutcome, { ok: boolean; message: string }> = {
  connected: { ok: true, message: "Instagram is connected: new messages to your account become leads." },
  denied: { ok: false, message: "Instagram was not connected: the permissions were declined." },
  invalid_state: { ok: false, message: "That Instagram sign-in expired or was started in another browser. Please try again." },
  in_use: { ok: false, message: "That Instagram account is already connected to another Audnix account." },
  failed: { ok: false, message: "Instagram did not let us finish connecting. Please try again in a minute." },
  not_configured: { ok: false, message: "Instagram connect is not configured on this server." },
};

function isInstagramOutcome(value: string | null): value is InstagramConnectOutcome {
  return value !== null && Object.hasOwn(instagramOutcomes, value);
}

export async function loader({ request }: LoaderFunctionArgs) {
  const caller = createServerCaller(await requireUserId(request));
  const env = getEnv();
  const outcome = new URL(request.url).searchParams.get("instagram");
  return {
    connections: await caller.connections.list(),
    instagramConfigured: Boolean(env.INSTAGRAM_APP_ID && env.INSTAGRAM_APP_SECRET),
    flash: isInstagramOutcome(outcome) ? instagramOutcomes[outcome] : null,
    // Where the Mailgun route for the inbound domain must forward (the email card says so).
    emailWebhookUrl: new URL("/api/webhook/email?format=mime", env.APP_URL).toString(),
  };
}

const text = z.string().catch("");

const formSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("connect-whatsapp"), phoneNumberId: text, accessToken: text }),
  z.object({
    intent: z.literal("connect-email"),
    fromAddress: text,
    fromName: text,
    smtpHost: text,
    smtpPort: text,
    smtpSecure: z.literal("on").optional(),
    smtpUser: text,
    smtpPassword: text,
  }),
  z.object({ intent: z.literal("disconnect"), channel: z.enum(["instagram", "whatsapp", "email"]) }),
  z.object({ intent: z.literal("undo-disconnect"), channel: z.enum(["instagram", "whatsapp", "email"]) }),
]);

export type ConnectionFormIntent = z.output<typeof formSchema>["intent"];

const intentSchema = z.enum(["connect-whatsapp", "connect-email", "disconnect", "undo-disconnect"] satisfies ConnectionFormIntent[]);

/** What a form hears back; never the submitted values (they may hold a token or password). */
export type ConnectionActionResult =
  /** `message`: what a disconnect or its undo did, announced on the card. */
  | { intent: ConnectionFormIntent; ok: true; message?: string }
  | { intent: ConnectionFormIntent; ok: false; formError: string | null; fieldErrors: Record<string, string> };

export async function action({ request }: ActionFunctionArgs) {
  const caller = createServerCaller(await requireUserId(request));
  const parsed = formSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) throw data("Unknown connections form.", { status: 400 });
  const form = parsed.data;
  try {
    if (form.intent === "connect-whatsapp") {
      await caller.connections.connectWhatsapp({ phoneNumberId: form.phoneNumberId, accessToken: form.accessToken });
    } else if (form.intent === "connect-email") {
      await caller.connections.connectEmail({
        fromAddress: form.fromAddress,
        fromName: form.fromName,
        // The api coerces the port from the form's text and explains a bad one.
        smtp: { host: form.smtpHost, port: form.smtpPort, secure: form.smtpSecure === "on", user: form.smtpUser, password: form.smtpPassword },
      });
    } else if (form.intent === "disconnect") {
      const { disconnected } = await caller.connections.disconnect({ channel: form.channel });
      const name = CHANNEL_NAMES[form.channel];
      const message = disconnected
        ? `${name} is disconnected: nothing is sent or received there. Undo within ${DISCONNECT_UNDO_MINUTES} minutes to reconnect it as it was.`
        : `${name} was not connected: nothing changed.`;
      return data<ConnectionActionResult>({ intent: form.intent, ok: true, message });
    } else {
      await caller.connections.undoDisconnect({ channel: form.channel });
      return data<ConnectionActionResult>({ intent: form.intent, ok: true, message: `${CHANNEL_NAMES[form.channel]} is connected again, as it was.` });
    }
    return data<ConnectionActionResult>({ intent: form.intent, ok: true });
  } catch (error) {
    const refusal = rateLimitRefusal(error);
    if (refusal) return data<ConnectionActionResult>({ intent: form.intent, ok: false, formError: refusal.message, fieldErrors: {} }, refusal.init);
    if (!(error instanceof TRPCError) || !["BAD_REQUEST", "PRECONDITION_FAILED"].includes(error.code)) throw error;
    const fieldErrors = error.cause instanceof z.ZodError ? fieldErrorsOf(error.cause) : {};
    const formError = error.cause instanceof z.ZodError ? null : error.message;
    return data<ConnectionActionResult>({ intent: form.intent, ok: false, formError, fieldErrors }, { status: 400 });
  }
}

/** The first problem per form field; the api's nested smtp.host becomes the form's smtpHost. */
function fieldErrorsOf(error: z.ZodError): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of error.issues) {
    const [first, second] = issue.path.map(String);
    const field = first === "smtp" && second ? `smtp${second[0]?.toUpperCase()}${second.slice(1)}` : (first ?? "form");
    errors[field] ??= issue.message;
  }
  return errors;
}

// The answer reaches the card that sent the form (each filters by intent), saying the server was unreachable.
export const clientAction = keepInputWhenUnreachable<ConnectionActionResult>((form) => ({
  intent: intentSchema.catch("disconnect").parse(form.get("intent")),
  ok: false,
  formError: UNREACHABLE_MESSAGE,
  fieldErrors: {},
}));

export default function Connections() {
  const { connections, instagramConfigured, flash, emailWebhookUrl } = useLoaderData<typeof loader>();
  const byChannel = (channel: (typeof connections)[number]["channel"]) => {
    const found = connections.find((connection) => connection.channel === channel);
    if (!found) throw new Error(`connections.list always lists ${channel}`);
    return found;
  };

  return (
    <>
      <section aria-labelledby="connections-title">
        <h1 id="connections-title">Connections</h1>
        <p className="muted">Connect the channels people message you on: every new conversation becomes a lead.</p>
        {flash ? (
          <p className={flash.ok ? "flash flash--ok" : "flash flash--error"} role={flash.ok ? "status" : "alert"} data-testid="connections-flash">
            {flash.message}
          </p>
        ) : null}
      </section>
      <div className="connections">
        <ConnectionInstagramCard connection={byChannel("instagram")} configured={instagramConfigured} />
        <ConnectionWhatsappCard connection={byChannel("whatsapp")} />
        <ConnectionEmailCard connection={byChannel("email")} webhookUrl={emailWebhookUrl} />
      </div>
    </>
  );
}
