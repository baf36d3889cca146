// Sandbox mode for `pnpm dev`: every vendor whose credentials are missing is replaced by the same
// fake the tests use (packages/integrations/src/<vendor>/fake-*.ts), so connecting Instagram,
// WhatsApp and email, and voice notes, all work on a fresh checkout. OpenAI needs no fake here:
// without OPENAI_API_KEY the follow-up engine's sandbox composer writes labelled messages.
import { randomBytes } from "node:crypto";
import {
  FAKE_ELEVENLABS_API_KEY,
  FAKE_SMTP_DEFAULT_USER,
  FAKE_WHATSAPP_DEFAULT_NUMBER,
  startFakeElevenLabs,
  startFakeInstagram,
  startFakeSmtpInbox,
  startFakeSmtpServer,
  startFakeWhatsappCloud,
} from "@audnix/integrations";

export interface SandboxVendors {
  /** Variables the web app and the worker get on top of the developer's own. */
  env: Record<string, string>;
  /** One line per fake, for the developer: what stands in for what and how to use it. */
  notes: string[];
  close(): Promise<void>;
}

const isSet = (value: string | undefined) => value !== undefined && value.trim() !== "";

export async function startSandboxVendors(environment: Record<string, string | undefined>): Promise<SandboxVendors> {
  // One id per launch: connections made against this launch's fakes are tagged with it, so the
  // dashboard can tell a later launch's owner that an old one points at a fake that is gone.
  const env: Record<string, string> = { SANDBOX_RUN_ID: randomBytes(8).toString("hex") };
  const notes: string[] = [];
  const closers: Array<() => Promise<void>> = [];

  if (!isSet(environment.INSTAGRAM_APP_ID) && !isSet(environment.INSTAGRAM_APP_SECRET)) {
    const instagram = await startFakeInstagram();
    closers.push(() => instagram.close());
    Object.assign(env, {
      INSTAGRAM_APP_ID: instagram.appId,
      INSTAGRAM_APP_SECRET: instagram.appSecret,
      INSTAGRAM_OAUTH_BASE_URL: instagram.url,
      INSTAGRAM_GRAPH_BASE_URL: instagram.url,
    });
    notes.push(`Instagram: fake Graph API at ${instagram.url} ("Connect Instagram" shows its consent page)`);
  }

  if (!isSet(environment.WHATSAPP_GRAPH_BASE_URL)) {
    // Like WhatsApp, the fake posts each message's statuses back to our webhook (the lead page shows
    // Sent, Delivered, then Read), signed with the secret the web app checks: the developer's, or
    // one made up for this run.
    const appSecret = environment.WHATSAPP_APP_SECRET?.trim() || randomBytes(24).toString("hex");
    env.WHATSAPP_APP_SECRET = appSecret;
    const webhookUrl = `${environment.APP_URL?.trim() || "http://localhost:3000"}/api/webhook/whatsapp`;
    const whatsapp = await startFakeWhatsappCloud({
      statusWebhook: { url: webhookUrl, appSecret, afterSend: { statuses: ["sent", "delivered", "read"], delayMs: 3_000 } },
    });
    closers.push(() => whatsapp.close());
    env.WHATSAPP_GRAPH_BASE_URL = whatsapp.url;
    notes.push(
      `WhatsApp: fake Cloud API at ${whatsapp.url}; connect with phone number id ${FAKE_WHATSAPP_DEFAULT_NUMBER.id} and token ${FAKE_WHATSAPP_DEFAULT_NUMBER.accessToken}; it reports delivered and read to ${webhookUrl}`,
    );
  }

  // An SMTP server is per connection (the owner types it in), so the fake is always offered.
  const smtp = await startFakeSmtpServer();
  closers.push(() => smtp.close());
  notes.push(
    `Email: fake SMTP server at ${smtp.host}:${smtp.port} (no TLS), user ${FAKE_SMTP_DEFAULT_USER.user}, password ${FAKE_SMTP_DEFAULT_USER.password}`,
  );

  // The platform's own mail (weekly summaries, alerts) goes to the same fake unless configured;
  // its inbox page shows what arrived.
  if (!isSet(environment.PLATFORM_SMTP_URL)) {
    const inbox = await startFakeSmtpInbox(smtp);
    closers.push(() => inbox.close());
    const login = `${encodeURIComponent(FAKE_SMTP_DEFAULT_USER.user)}:${encodeURIComponent(FAKE_SMTP_DEFAULT_USER.password)}`;
    env.PLATFORM_SMTP_URL = `smtp://${login}@${smtp.host}:${smtp.port}`;
    notes.push(`Platform email (weekly summaries): sent to the fake SMTP server; read it at ${inbox.url}/`);
  }

  if (environment.ENABLE_VOICE === "true" && !isSet(environment.ELEVENLABS_API_KEY)) {
    const elevenLabs = await startFakeElevenLabs();
    closers.push(() => elevenLabs.close());
    Object.assign(env, {
      ELEVENLABS_API_KEY: FAKE_ELEVENLABS_API_KEY,
      ELEVENLABS_BASE_URL: elevenLabs.url,
      ELEVENLABS_VOICE_ID: "sandbox-voice",
    });
    notes.push(`Voice notes: fake ElevenLabs at ${elevenLabs.url}`);
  }

  return {
    env,
    notes,
    close: async () => {
      await Promise.allSettled(closers.map((close) => close()));
    },
  };
}
