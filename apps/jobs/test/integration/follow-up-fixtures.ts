// Shared setup of the follow-up engine tests: a lead's inbound message through the real capture,
// the real task list run by graphile-worker's runOnce against the test database, and helpers to
// read what the engine did.
import { randomUUID } from "node:crypto";
import {
  createLogger,
  createSeededRandom,
  createTokenCipher,
  matchesOptOutKeyword,
  type CaptureChannel,
  type Embedder,
  type Logger,
  type RandomSource,
  type TextGenerator,
  type TokenCipher,
  type VoiceSynthesizer,
} from "@audnix/core";
import { captureDelivery, saveConnection, type Db, type SaveConnectionInput } from "@audnix/db";
import { FAKE_INSTAGRAM_DEFAULT_USER, FAKE_SMTP_DEFAULT_USER, type FakeInstagram, type FakeSmtpServer } from "@audnix/integrations";
import { Logger as WorkerLogger, runOnce } from "graphile-worker";
import { createFollowUpServices, type FollowUpServices } from "../../src/follow-up-services.ts";
import { createTaskList } from "../../src/tasks/index.ts";

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;

const testKey = Buffer.alloc(32, 7);
/** ENCRYPTION_KEY for worker processes that must open what testCipher sealed. */
export const testEncryptionKey = testKey.toString("base64");
const testCipher: TokenCipher = createTokenCipher(testKey);

export interface EngineOptions {
  generator?: TextGenerator | null;
  synthesizer?: VoiceSynthesizer | null;
  /** Default: a seeded generator. */
  random?: RandomSource;
  instagramGraphBaseUrl?: string;
  whatsappGraphBaseUrl?: string;
  now?: () => Date;
  seed?: number;
  /** Vendor send timeout (a slow vendor's answer arrives after it). */
  sendTimeoutMs?: number;
  /** The instagram:profile job's fetch timeout and the first reply's wait for the profile. */
  instagramProfileTimeouts?: { fetchMs?: number; replyDeadlineMs?: number };
  /** Embeddings for the tasks (conversation summaries, knowledge); default none. */
  embedder?: Embedder | null;
}

export interface Engine {
  services: FollowUpServices;
  lines: Record<string, unknown>[];
  logger: Logger;
  /** Runs every job that is due now, until none is left (graphile-worker's runOnce). */
  runDueJobs(): Promise<void>;
}

const silentWorkerLogger = new WorkerLogger(() => () => {});

export function createEngine(db: Db, options: EngineOptions = {}): Engine {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({ level: "debug", sink: (line) => lines.push(JSON.parse(line) as Record<string, unknown>) });
  const services = createFollowUpServices({
    db,
    cipher: testCipher,
    generator: options.generator ?? null,
    synthesizer: options.synthesizer ?? null,
    voiceId: "fake-voice",
    appUrl: "https://app.example.test",
    random: options.random ?? createSeededRandom(options.seed ?? 42),
    ...(options.instagramGraphBaseUrl ? { instagramGraphBaseUrl: options.instagramGraphBaseUrl } : {}),
    ...(options.whatsappGraphBaseUrl ? { whatsappGraphBaseUrl: options.whatsappGraphBaseUrl } : {}),
    ...(options.sendTimeoutMs ? { sendTimeoutMs: options.sendTimeoutMs } : {}),
    ...(options.instagramProfileTimeouts ? { instagramProfileTimeouts: options.instagramProfileTimeouts } : {}),
    // The engine's knowledge queries use the embedder ingestion used.
    embedder: options.embedder ?? null,
  });
  const taskList = createTaskList({
    db,
    logger,
    now: options.now ?? (() => new Date()),
    followUpServices: services,
    tokenCipher: testCipher,
    instagramGraphBaseUrl: options.instagramGraphBaseUrl ?? "https://graph.instagram.com",
    embedder: options.embedder ?? null,
  });
  return {
    services,
    lines,
    logger,
    runDueJobs: async () => {
      await runOnce({ pgPool: db.pool, taskList, logger: silentWorkerLogger });
      await jobsSettled(db);
    },
  };
}

/**
 * graphile-worker records a job's success or failure without awaiting it before runOnce resolves:
 * until that lands the job stays locked (and a failed one has not got its retry time yet). Waits for
 * it through the public jobs view so the next step of a test sees the settled queue.
 */
async function jobsSettled(db: Db): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const { rows } = await db.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM graphile_worker.jobs WHERE locked_at IS NOT NULL");
    if (rows[0]!.n === 0) return;
    if (Date.now() > deadline) throw new Error(`${rows[0]!.n} jobs still locked 15 s after runOnce returned`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export async function createOwner(db: Db, email = `owner-${randomUUID()}@shop.example`): Promise<string> {
  const user = await db.asSystem((tx) => tx.user.create({ data: { email, plan: "growth" } }));
  return user.id;
}

export interface InboundInput {
  channel: CaptureChannel;
  /** The business account the message was sent to (sandbox: the owner's user id). */
  accountId: string;
  senderId: string;
  senderName?: string | null;
  senderEmail?: string | null;
  text: string;
  sentAt: Date;
}

/** Delivers one inbound message through the same capture function the webhooks use. */
async function deliverInbound(db: Db, input: InboundInput): Promise<void> {
  await captureDelivery(db, {
    deliveryId: randomUUID(),
    receivedAt: input.sentAt,
    delivery: {
      channel: input.channel,
      rejected: [],
      groups: [
        {
          accountId: input.accountId,
          rawEntries: [],
          events: [
            {
              kind: "message",
              accountId: input.accountId,
              providerMessageId: `in-${randomUUID()}`,
              sender: {
                externalId: input.senderId,
                name: input.senderName ?? null,
                email: input.senderEmail ?? null,
                phone: null,
              },
              text: input.text,
              attachments: [],
              sentAt: input.sentAt,
              thread: null,
              // What every channel's parser marks (checkInboundEvent): capture opts the lead out.
              optOut: matchesOptOutKeyword(input.text),
            },
          ],
        },
      ],
    },
  });
}

export interface LeadMessage extends Omit<InboundInput, "sentAt"> {
  /** How long ago the lead wrote, in ms. Default: ten minutes, past the human-like reply delay. */
  ago?: number;
}

/** Delivers the lead's message through capture; returns the id of the lead it landed on. */
export async function leadWrote(db: Db, owner: string, { ago = 10 * MINUTE_MS, ...message }: LeadMessage): Promise<string> {
  await deliverInbound(db, { ...message, sentAt: new Date(Date.now() - ago) });
  return leadIdOf(db, owner, message.senderId);
}

async function leadIdOf(db: Db, userId: string, externalId: string): Promise<string> {
  const lead = await db.asUser(userId, (tx) => tx.lead.findFirstOrThrow({ where: { externalId }, select: { id: true } }));
  return lead.id;
}

export function outboundMessages(db: Db, userId: string, leadId: string) {
  return db.asUser(userId, (tx) =>
    tx.message.findMany({ where: { leadId, direction: "outbound" }, orderBy: { sentAt: "asc" } }),
  );
}

export function followUpsOf(db: Db, userId: string, leadId: string) {
  return db.asUser(userId, (tx) => tx.followUp.findMany({ where: { leadId }, orderBy: { createdAt: "asc" } }));
}

export async function jobsWithKey(db: Db, key: string): Promise<{ task_identifier: string; run_at: Date; payload: unknown }[]> {
  const { rows } = await db.pool.query<{ task_identifier: string; run_at: Date; payload: unknown }>(
    `SELECT t.identifier AS task_identifier, j.run_at, j.payload
       FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id
      WHERE j.key = $1`,
    [key],
  );
  return rows;
}

/** Makes every waiting job due now (the tests' stand-in for waiting hours). */
export async function makeAllJobsDue(db: Db): Promise<void> {
  await db.pool.query("UPDATE graphile_worker._private_jobs SET run_at = now() WHERE locked_at IS NULL");
}

/** Brand settings without quiet hours, so a step that comes due runs whatever the time of day. */
export async function saveBrand(
  db: Db,
  userId: string,
  values: {
    followUpStepsMinutes?: number[];
    quietHoursStart?: string;
    quietHoursEnd?: string;
    whatsappTemplateName?: string;
    brandName?: string;
    voiceEnabled?: boolean;
  },
): Promise<void> {
  await db.asUser(userId, (tx) =>
    tx.brandSettings.upsert({
      where: { userId },
      create: { userId, quietHoursStart: "00:00", quietHoursEnd: "00:00", ...values },
      update: { quietHoursStart: "00:00", quietHoursEnd: "00:00", ...values },
    }),
  );
}

/** Saves the owner's connection sealed with testCipher, as the connect flows store it. */
export async function connectChannel(db: Db, input: Omit<SaveConnectionInput, "cipher" | "now">): Promise<void> {
  await saveConnection(db, { ...input, cipher: testCipher, now: new Date() });
}

/** Connects the owner's email: sends through the SMTP fake (its default login), mail arrives at `inbox`. */
export async function connectFakeSmtp(db: Db, owner: string, smtp: FakeSmtpServer, sender: { inbox: string; fromName: string }): Promise<void> {
  await connectChannel(db, {
    userId: owner,
    channel: "email",
    externalAccountId: sender.inbox,
    displayName: sender.inbox,
    credentials: {
      smtp: { host: smtp.host, port: smtp.port, secure: false, user: FAKE_SMTP_DEFAULT_USER.user, password: FAKE_SMTP_DEFAULT_USER.password },
    },
    settings: { fromAddress: sender.inbox, fromName: sender.fromName },
  });
}

/** The Instagram fake's default account: the business account the tests' Instagram leads write to. */
const IG_ACCOUNT = FAKE_INSTAGRAM_DEFAULT_USER.userId;

/** A lead's DM to the owner's Instagram (the fake's default account); returns the lead's id. */
export function instagramLeadWrote(db: Db, owner: string, message: Omit<LeadMessage, "channel" | "accountId">): Promise<string> {
  return leadWrote(db, owner, { channel: "instagram", accountId: IG_ACCOUNT, ...message });
}

/** Connects the owner's Instagram (the fake's default account); returns the token the fake issued. */
export async function connectFakeInstagram(db: Db, owner: string, instagram: FakeInstagram): Promise<string> {
  const accessToken = instagram.issueLongLivedToken(IG_ACCOUNT);
  await connectChannel(db, {
    userId: owner,
    channel: "instagram",
    externalAccountId: IG_ACCOUNT,
    displayName: "@audnix_sandbox",
    credentials: { accessToken },
  });
  return accessToken;
}
