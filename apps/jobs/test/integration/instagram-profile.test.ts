// The lead's Instagram profile (docs/decisions/0023): the first reply greets by the profile's first
// name, an unavailable or slow profile never holds the reply back, and the background job retries
// only what can succeed. Real capture, real graphile-worker, the Instagram fake.
import { INSTAGRAM_PROFILE_POLICY, INSTAGRAM_PROFILE_TASK, instagramProfileJobKey, leadDisplayName } from "@audnix/core";
import { useTestDatabase } from "@audnix/db/testing";
import { startFakeInstagram, type FakeInstagram } from "@audnix/integrations";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  connectFakeInstagram,
  createEngine,
  createOwner,
  instagramLeadWrote,
  jobsWithKey,
  saveBrand,
  type Engine,
} from "./follow-up-fixtures.ts";

const t = useTestDatabase();
let instagram: FakeInstagram;
let engine: Engine;
/** Gives up on Instagram at once: the slow-profile case. */
let hastyEngine: Engine;
let owner: string;
let token: string;

beforeAll(async () => {
  instagram = await startFakeInstagram({
    leadProfiles: [
      { igsid: "igsid-peter", name: "Peter Chang", username: "peter_chang_live", follower_count: 1234, is_user_follow_business: false },
      { igsid: "igsid-quiet", name: null, username: "quiet.one" },
      { igsid: "igsid-slow", name: "Sofia Rossi", username: "sofia.rossi" },
      { igsid: "igsid-flaky", name: "Lena Park", username: "lena.park" },
      { igsid: "igsid-down", name: "Omar Haddad", username: "omar.h" },
      { igsid: "igsid-token", name: "Ivy Chen", username: "ivy.chen" },
    ],
  });
  // Generous timeouts: on a loaded machine a local answer still comes well inside them.
  engine = createEngine(t.db, { instagramGraphBaseUrl: instagram.url, instagramProfileTimeouts: { fetchMs: 10_000, replyDeadlineMs: 10_000 } });
  hastyEngine = createEngine(t.db, { instagramGraphBaseUrl: instagram.url, instagramProfileTimeouts: { fetchMs: 50, replyDeadlineMs: 50 } });
  owner = await createOwner(t.db);
  await saveBrand(t.db, owner, { brandName: "Glow Studio" });
  token = await connectFakeInstagram(t.db, owner, instagram);
});

afterAll(async () => {
  await instagram?.close();
});

/** An Instagram DM: Meta's webhook carries the sender's IGSID only, no name. */
const leadWrote = (senderId: string) => instagramLeadWrote(t.db, owner, { senderId, senderName: null, text: "Hey, do you have openings this week?" });

const repliesTo = (igsid: string) => instagram.sentMessages.filter((sent) => sent.recipientId === igsid).map((sent) => String(sent.message.text));

const leadRow = (leadId: string) =>
  t.db.asUser(owner, (tx) =>
    tx.lead.findUniqueOrThrow({ where: { id: leadId }, select: { name: true, username: true, profileStatus: true, profileFetchedAt: true } }),
  );

/** What capture queues for a new Instagram lead (the capture SQL adds it through graphile-worker's add_job). */
async function queueProfileJob(leadId: string): Promise<void> {
  await t.db.pool.query("SELECT graphile_worker.add_job($1, json_build_object('userId', $2::text, 'leadId', $3::text), job_key := $4, max_attempts := $5)", [
    INSTAGRAM_PROFILE_TASK,
    owner,
    leadId,
    instagramProfileJobKey(leadId),
    INSTAGRAM_PROFILE_POLICY.maxAttempts,
  ]);
}

const profileJobs = (leadId: string) => jobsWithKey(t.db, instagramProfileJobKey(leadId));

/** Makes the lead's waiting profile job due now (graphile-worker's backoff, skipped), and nothing else. */
async function makeProfileJobDue(leadId: string): Promise<void> {
  await t.db.pool.query("UPDATE graphile_worker._private_jobs SET run_at = now() WHERE key = $1 AND locked_at IS NULL", [instagramProfileJobKey(leadId)]);
}

describe("the lead's Instagram profile", () => {
  it("names a new Instagram lead from their profile, and the first reply greets them by first name", async () => {
    const leadId = await leadWrote("igsid-peter");
    await engine.runDueJobs();

    expect(repliesTo("igsid-peter")).toEqual([expect.stringContaining("Hi Peter!")]);
    expect(await leadRow(leadId)).toEqual({ name: "Peter Chang", username: "peter_chang_live", profileStatus: "fetched", profileFetchedAt: expect.any(Date) });
    // Only what is stored was asked for.
    expect(instagram.profileRequests.find((request) => request.igsid === "igsid-peter")?.fields).toEqual(["name", "username"]);
  });

  it("a profile without a name: the reply greets without one and the dashboard shows @username", async () => {
    const leadId = await leadWrote("igsid-quiet");
    await engine.runDueJobs();

    expect(repliesTo("igsid-quiet")).toEqual([expect.stringContaining("Hi there!")]);
    const lead = await leadRow(leadId);
    expect(lead).toMatchObject({ name: null, username: "quiet.one", profileStatus: "fetched" });
    expect(leadDisplayName(lead)).toBe("@quiet.one");
  });

  it("a profile Instagram will not give (no consent) is recorded unavailable, greeted without a name, never retried", async () => {
    const leadId = await leadWrote("igsid-never-consented");
    await queueProfileJob(leadId);
    await engine.runDueJobs();

    expect(repliesTo("igsid-never-consented")).toEqual([expect.stringContaining("Hi there!")]);
    expect(await leadRow(leadId)).toMatchObject({ name: null, username: null, profileStatus: "unavailable" });
    expect(await profileJobs(leadId)).toEqual([]);
    // Whichever asked first (the job or the reply's check) recorded the refusal; the other did not ask again.
    expect(instagram.profileRequests.filter((request) => request.igsid === "igsid-never-consented")).toHaveLength(1);
  });

  it("a slow Instagram: the reply goes out without the name; the background job fills it in later", async () => {
    const held = instagram.holdProfiles();
    try {
      const leadId = await leadWrote("igsid-slow");
      await hastyEngine.runDueJobs();

      expect(repliesTo("igsid-slow")).toEqual([expect.stringContaining("Hi there!")]);
      expect(instagram.profileRequests.some((request) => request.igsid === "igsid-slow")).toBe(true);
      expect(await leadRow(leadId)).toMatchObject({ name: null });
      // The reply handed the profile to the background job, which waits for its next try.
      expect(await profileJobs(leadId)).toEqual([expect.objectContaining({ task_identifier: INSTAGRAM_PROFILE_TASK })]);

      held.release();
      await makeProfileJobDue(leadId);
      await engine.runDueJobs();
      expect(await leadRow(leadId)).toMatchObject({ name: "Sofia Rossi", username: "sofia.rossi", profileStatus: "fetched" });
      expect(await profileJobs(leadId)).toEqual([]);
      // Nothing was sent twice.
      expect(repliesTo("igsid-slow")).toHaveLength(1);
    } finally {
      held.release();
    }
  });

  it("the job retries a 429 or 5xx and then stores the profile", async () => {
    const leadId = await t.db.asUser(owner, (tx) =>
      tx.lead.create({ data: { userId: owner, channel: "instagram", externalId: "igsid-flaky" }, select: { id: true } }),
    );
    instagram.failNextProfile({ status: 503 });
    await queueProfileJob(leadId.id);
    await engine.runDueJobs();
    expect(await leadRow(leadId.id)).toMatchObject({ profileStatus: null });
    expect(await profileJobs(leadId.id)).toHaveLength(1);

    await makeProfileJobDue(leadId.id);
    await engine.runDueJobs();
    expect(await leadRow(leadId.id)).toMatchObject({ name: "Lena Park", profileStatus: "fetched" });
    expect(await profileJobs(leadId.id)).toEqual([]);
  });

  it(`the job gives up after ${INSTAGRAM_PROFILE_POLICY.maxAttempts} tries and records the fetch failed`, async () => {
    const leadId = await t.db.asUser(owner, (tx) =>
      tx.lead.create({ data: { userId: owner, channel: "instagram", externalId: "igsid-down" }, select: { id: true } }),
    );
    instagram.failNextProfile({ status: 500, body: { error: { message: "An unknown error occurred", type: "OAuthException", code: 1 } } }, INSTAGRAM_PROFILE_POLICY.maxAttempts);
    await queueProfileJob(leadId.id);
    for (let attempt = 1; attempt <= INSTAGRAM_PROFILE_POLICY.maxAttempts; attempt += 1) {
      await makeProfileJobDue(leadId.id);
      await engine.runDueJobs();
    }

    expect(await leadRow(leadId.id)).toMatchObject({ name: null, profileStatus: "failed" });
    expect(await profileJobs(leadId.id)).toEqual([]);
    expect(instagram.profileRequests.filter((request) => request.igsid === "igsid-down")).toHaveLength(INSTAGRAM_PROFILE_POLICY.maxAttempts);
  });

  // Last: it leaves the connection needing a reconnect.
  it("a rejected token marks the Instagram connection as needing a reconnect", async () => {
    const leadId = await t.db.asUser(owner, (tx) =>
      tx.lead.create({ data: { userId: owner, channel: "instagram", externalId: "igsid-token" }, select: { id: true } }),
    );
    instagram.revokeToken(token);
    await queueProfileJob(leadId.id);
    await engine.runDueJobs();

    const connection = await t.db.asUser(owner, (tx) => tx.connection.findFirstOrThrow({ where: { channel: "instagram" }, select: { status: true, statusReason: true } }));
    expect(connection).toEqual({ status: "needs_reconnect", statusReason: expect.stringContaining("Connect Instagram again") });
    expect(await leadRow(leadId.id)).toMatchObject({ name: null, profileStatus: "failed" });
    expect(await profileJobs(leadId.id)).toEqual([]);
  });
});
