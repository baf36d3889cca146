import { FOLLOW_UP_JOBS, KNOWLEDGE_DOCUMENTS_LIMIT_REFUSAL, LEAD_FACTS_TASK, KNOWLEDGE_DOCUMENTS_PER_USER_MAX, KNOWLEDGE_FILE_MAX_BYTES } from "@audnix/core";
import type { BrowserContext, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { goToDashboardPage, openDashboard, sendSandboxMessage, withPage } from "./browser-steps.ts";
import { useE2eApp } from "./e2e-app.ts";
import { runJobsUntil } from "./jobs-worker.ts";

// The worker indexes what the page adds (knowledge:extract, knowledge:ingest) and answers leads.
const started = useE2eApp({}, { worker: true });

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };

const FAQ = { question: "Are you open on Sundays?", answer: "Yes: on Sundays the studio is open from 10:00 to 16:00." };

/** Marks the page; the mark survives client-side updates and is gone after any reload. */
async function markPage(page: Page): Promise<void> {
  await page.evaluate(() => document.body.setAttribute("data-not-reloaded", "yes"));
}

async function wasReloaded(page: Page): Promise<boolean> {
  return (await page.evaluate(() => document.body.getAttribute("data-not-reloaded"))) !== "yes";
}

/**
 * Nothing in the page's own content reaches past the viewport's right edge (the page does not
 * scroll sideways). The site header is checked by mobile-layout.e2e.test.ts.
 */
async function expectContentFits(page: Page): Promise<void> {
  const sticking = await page.evaluate(() => {
    const main = document.querySelector("main");
    if (!main) return ["no <main> on the page"];
    const width = document.documentElement.clientWidth;
    // A wide table inside its own scroll box (the dashboard's "Show as table") scrolls there, not the page.
    const insideFittingScroller = (element: Element): boolean => {
      for (let box = element.parentElement; box && box !== main; box = box.parentElement) {
        if (getComputedStyle(box).overflowX !== "visible") return box.getBoundingClientRect().right <= width + 0.5;
      }
      return false;
    };
    const out = [...main.querySelectorAll("*")].filter(
      (element) => element.getBoundingClientRect().right > width + 0.5 && !insideFittingScroller(element),
    );
    if (main.scrollWidth > main.clientWidth) out.unshift(main);
    return out.map((element) => `${element.tagName.toLowerCase()}.${element.className || "(no class)"}`);
  });
  expect(sticking).toEqual([]);
}

async function openKnowledge(page: Page, baseUrl: string, email: string): Promise<void> {
  await openDashboard(page, baseUrl, email);
  await goToDashboardPage(page, "Knowledge");
  await page.getByRole("heading", { name: "Knowledge", level: 1 }).waitFor();
}

const source = (page: Page, title: string) => page.getByTestId("knowledge-source").filter({ hasText: title });

/** Waits until the source's row says Ready, without the owner reloading the page. */
async function waitUntilReady(page: Page, title: string): Promise<void> {
  await source(page, title).getByTestId("knowledge-status").filter({ hasText: "Ready" }).waitFor({ timeout: 30_000 });
}

async function sessionCookie(context: BrowserContext, baseUrl: string): Promise<string> {
  return (await context.cookies(baseUrl)).map(({ name, value }) => `${name}=${value}`).join("; ");
}

describe("the knowledge page", () => {
  it("adds an FAQ, shows it become ready, finds it asked in other words, and a sandbox lead gets the answer", async () => {
    const { server, browser, database } = started();
    await withPage(browser, async (page) => {
      await page.setViewportSize(DESKTOP);
      await openKnowledge(page, server.url, "knowledge-faq@audnix.local");
      await page.getByTestId("knowledge-empty").filter({ hasText: "Start with the questions customers ask most" }).waitFor();
      await expectContentFits(page);

      // A missing answer is refused under its field; the question typed stays.
      const faqForm = page.getByRole("form", { name: "Add a question and answer" });
      await faqForm.getByLabel("Question").fill(FAQ.question);
      await faqForm.getByRole("button", { name: "Add question" }).click();
      await faqForm.getByText("Write the answer.").waitFor();
      expect(await faqForm.getByLabel("Answer").getAttribute("aria-invalid")).toBe("true");
      expect(await faqForm.getByLabel("Question").inputValue()).toBe(FAQ.question);

      await markPage(page);
      await faqForm.getByLabel("Answer").fill(FAQ.answer);
      await faqForm.getByRole("button", { name: "Add question" }).click();
      await faqForm.getByRole("status").filter({ hasText: `Added the question "${FAQ.question}"` }).waitFor();
      expect(await faqForm.getByLabel("Question").inputValue()).toBe("");
      await source(page, FAQ.question).waitFor();
      expect(await page.getByTestId("knowledge-empty").count()).toBe(0);

      // Processing turns into Ready on its own (the page refreshes its list while anything indexes).
      await waitUntilReady(page, FAQ.question);
      expect(await source(page, FAQ.question).innerText()).toMatch(/FAQ · \d+ characters · 1 passage · added /);
      expect(await wasReloaded(page)).toBe(false);

      // The owner asks as a lead would, in other words than the FAQ's, and sees the passage the AI gets.
      const tryQuestion = page.getByRole("region", { name: "Try a question" });
      await tryQuestion.getByLabel("Question").fill("can I come by on a sunday?");
      await tryQuestion.getByRole("button", { name: "Search knowledge" }).click();
      const passage = tryQuestion.getByTestId("knowledge-result").first();
      await passage.waitFor();
      expect(await passage.innerText()).toContain(`Source 1: ${FAQ.question}`);
      expect(await passage.innerText()).toContain("10:00 to 16:00");

      await expectContentFits(page);

      // Pasted text is found by its section: the passage under "Classes" answers a price question.
      const textForm = page.getByRole("form", { name: "Paste text" });
      await textForm.getByLabel("Title").fill("Price list");
      await textForm.getByLabel("Text").fill("# Classes\n\nA drop-in class costs 18 euros; ten classes cost 150 euros.\n\n# Mats\n\nMats are free to borrow.");
      await textForm.getByRole("button", { name: "Add text" }).click();
      await textForm.getByRole("status").filter({ hasText: 'Added "Price list"' }).waitFor();
      await waitUntilReady(page, "Price list");
      await tryQuestion.getByLabel("Question").fill("how much is one class?");
      await tryQuestion.getByRole("button", { name: "Search knowledge" }).click();
      const pricePassage = tryQuestion.getByTestId("knowledge-result").filter({ hasText: "18 euros" });
      await pricePassage.waitFor();
      expect(await pricePassage.innerText()).toContain("Price list");

      await tryQuestion.getByLabel("Question").fill("do you repair bicycles?");
      await tryQuestion.getByRole("button", { name: "Search knowledge" }).click();
      await tryQuestion.getByTestId("knowledge-no-results").waitFor();
      expect(await tryQuestion.getByTestId("knowledge-result").count()).toBe(0);

      await page.setViewportSize(PHONE);
      await page.reload();
      await source(page, FAQ.question).waitFor();
      await expectContentFits(page);

      // A lead asks the same thing in their own words; the sandbox reply answers from the FAQ.
      await page.setViewportSize(DESKTOP);
      await page.goto(`${server.url}/dashboard`);
      // (Without a model the sandbox answers only when the passage holds most of the question's words.)
      await sendSandboxMessage(page, "Lena Park", "hey! is the studio open on a sunday?");
      await page.getByRole("link", { name: "Open the conversation" }).click();
      await page.getByRole("heading", { name: "Lena Park" }).waitFor();
      const reply = page.locator(".bubble--outbound").filter({ hasText: "10:00" });
      await runJobsUntil(database.adminUrl, [FOLLOW_UP_JOBS.reply], async () => (await reply.count()) > 0);
      expect(await reply.innerText()).toContain("16:00");
      expect(await reply.innerText()).toContain("[Sandbox AI]");
    });
  });

  it("flags a lead whose question the knowledge doesn't answer, shows the email they wrote, and clears the flag when handled", async () => {
    const { server, browser, database } = started();
    await withPage(browser, async (page) => {
      await page.setViewportSize(DESKTOP);
      await openDashboard(page, server.url, "knowledge-gap@audnix.local");
      await sendSandboxMessage(page, "Omar Diaz", "Do you repair bicycles? You can write to me at omar.diaz@example.com");
      await page.getByRole("link", { name: "Open the conversation" }).click();
      await page.getByRole("heading", { name: "Omar Diaz" }).waitFor();

      // Nothing in the (empty) knowledge base answers it: the reply says so and the lead waits for the owner.
      const reply = page.locator(".bubble--outbound").filter({ hasText: "get back to you" });
      await runJobsUntil(database.adminUrl, [LEAD_FACTS_TASK, FOLLOW_UP_JOBS.reply], async () => (await reply.count()) > 0);
      const banner = page.getByTestId("lead-needs-owner");
      await banner.filter({ hasText: "Do you repair bicycles?" }).waitFor();
      expect(await banner.getByRole("link").getAttribute("href")).toBe("/dashboard/knowledge");
      await page.getByTestId("follow-up-panel").getByText("Follow-ups wait for you").waitFor();
      await page.getByTestId("follow-up-step").filter({ hasText: "Step 1 · Sandbox · held until you mark the lead as handled" }).waitFor();

      // The email the lead wrote is a fact on the page, and fills the lead's email.
      await page.getByTestId("lead-fact").filter({ hasText: "Email: omar.diaz@example.com" }).waitFor();
      const lead = await database.db.asSystem((tx) => tx.lead.findFirstOrThrow({ where: { name: "Omar Diaz" } }));
      expect(lead.email).toBe("omar.diaz@example.com");
      await expectContentFits(page);
      await page.setViewportSize(PHONE);
      await expectContentFits(page);

      // The lead list shows the badge until the owner marks the lead as handled.
      await page.goto(`${server.url}/dashboard`);
      await page.getByRole("list", { name: "Leads" }).getByRole("listitem").filter({ hasText: "Omar Diaz" }).getByTestId("lead-needs-owner-badge").waitFor();
      await expectContentFits(page);
      await page.getByRole("list", { name: "Leads" }).getByRole("link", { name: /Omar Diaz/ }).first().click();
      // The AI's draft says what it was grounded in: here, nothing.
      await page.getByTestId("reply-box").getByRole("button", { name: "Draft a reply" }).click();
      await page.getByTestId("reply-draft-note").getByText("Nothing in your knowledge base matched the lead's message.").waitFor();
      await expectContentFits(page);
      await banner.getByRole("button", { name: "Mark as handled" }).click();
      await banner.waitFor({ state: "detached" });
      await page.goto(`${server.url}/dashboard`);
      await page.getByRole("list", { name: "Leads" }).getByRole("listitem").filter({ hasText: "Omar Diaz" }).waitFor();
      expect(await page.getByTestId("lead-needs-owner-badge").count()).toBe(0);
    });
  });

  it("uploads a file, re-indexes it, refuses one over the limit, and deletes a source only after confirming", async () => {
    const { server, browser, database } = started();
    await withPage(browser, async (page, context) => {
      await page.setViewportSize(PHONE);
      await openKnowledge(page, server.url, "knowledge-file@audnix.local");
      const fileForm = page.getByRole("form", { name: "Upload a file" });
      await fileForm.getByText(".txt, .md, .html, .pdf, .docx; up to 10 MB.").waitFor();

      const markdown = "# Delivery\n\nWe deliver within Berlin in two working days.\n\n# Returns\n\nReturns are free for 30 days.\n";
      await fileForm.getByLabel("File").setInputFiles({ name: "shop-policies.md", mimeType: "text/markdown", buffer: Buffer.from(markdown) });
      await fileForm.getByRole("button", { name: "Upload file" }).click();
      await fileForm.getByRole("status").filter({ hasText: "Uploaded shop-policies.md" }).waitFor();
      await waitUntilReady(page, "shop-policies");
      const row = source(page, "shop-policies");
      expect(await row.innerText()).toContain(`File · ${Buffer.byteLength(markdown)} bytes`);
      expect(await row.innerText()).toContain("shop-policies.md");
      await expectContentFits(page);

      // Re-index reads the file again (a new source revision) and ends ready with the same passages.
      const passagesBefore = /\d+ passages?/.exec(await row.innerText())?.[0];
      expect(passagesBefore).toBeDefined();
      await row.getByRole("button", { name: "Re-index" }).click();
      const revision = () => database.db.asSystem((tx) => tx.knowledgeDocument.findFirstOrThrow({ where: { filename: "shop-policies.md" } }));
      await expect.poll(async () => (await revision()).sourceRevision, { timeout: 15_000 }).toBe(2);
      await expect.poll(async () => (await revision()).status, { timeout: 30_000 }).toBe("ready");
      await waitUntilReady(page, "shop-policies");
      expect(await row.innerText()).toContain(passagesBefore);

      // The browser refuses a file over the limit before sending it ...
      // (made in the page: handing Chromium 10 MB through the driver takes longer than the check itself)
      await fileForm.getByLabel("File").evaluate((input: HTMLInputElement, size) => {
        const files = new DataTransfer();
        files.items.add(new File([new Uint8Array(size)], "huge.txt", { type: "text/plain" }));
        input.files = files.files;
      }, KNOWLEDGE_FILE_MAX_BYTES + 1);
      await fileForm.getByRole("button", { name: "Upload file" }).click();
      await fileForm.getByText("That file is larger than 10 MB, the most a file can be").waitFor();

      // ... and the server, for a client that sends it anyway without saying its size, stops reading
      // at the cap (multipart parts are counted as they stream) and answers 413.
      const boundary = "----audnix-e2e-boundary";
      const head = Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="intent"\r\n\r\nadd-file\r\n` +
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="huge.txt"\r\nContent-Type: text/plain\r\n\r\n`,
      );
      const chunk = Buffer.alloc(64 * 1024, "a");
      let sent = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent === 0) controller.enqueue(head);
          if (sent > KNOWLEDGE_FILE_MAX_BYTES + chunk.length) {
            controller.enqueue(Buffer.from(`\r\n--${boundary}--\r\n`));
            controller.close();
            return;
          }
          controller.enqueue(chunk);
          sent += chunk.length;
        },
      });
      const refused = await fetch(`${server.url}/dashboard/knowledge`, {
        method: "POST",
        body,
        duplex: "half",
        headers: { "Content-Type": `multipart/form-data; boundary=${boundary}`, Cookie: await sessionCookie(context, server.url), Origin: server.url },
      } as RequestInit);
      expect(refused.status).toBe(413);
      expect(await database.db.asSystem((tx) => tx.knowledgeDocument.count({ where: { title: "huge" } }))).toBe(0);

      // Delete asks first and says it cannot be undone.
      await row.getByText("Delete…").click();
      await row.getByText("This cannot be undone").waitFor();
      await expectContentFits(page);
      await row.getByRole("button", { name: "Delete for good" }).click();
      await page.getByTestId("knowledge-empty").waitFor();
      expect(await page.getByTestId("knowledge-source").count()).toBe(0);
    });
  });

  it("says under the field why an address is refused, shows why a website could not be read, and offers a re-index", async () => {
    const { server, browser } = started();
    await withPage(browser, async (page) => {
      await page.setViewportSize(PHONE);
      await openKnowledge(page, server.url, "knowledge-url@audnix.local");
      const urlForm = page.getByRole("form", { name: "Add a website" });
      await page.getByRole("region", { name: "Add a website" }).getByText("up to 50 pages").waitFor();

      await urlForm.getByLabel("Website address").fill("ftp://files.example.com/prices");
      await urlForm.getByRole("button", { name: "Add website" }).click();
      await urlForm.getByText("Only http and https addresses can be added.").waitFor();
      expect(await urlForm.getByLabel("Website address").getAttribute("aria-invalid")).toBe("true");
      expect(await page.getByTestId("knowledge-source").count()).toBe(0);

      // The worker never fetches from private networks, so this one fails, with the reason on its row.
      await urlForm.getByLabel("Website address").fill("http://127.0.0.1:9/opening-hours");
      await urlForm.getByRole("button", { name: "Add website" }).click();
      await urlForm.getByRole("status").filter({ hasText: "Added http://127.0.0.1:9/opening-hours" }).waitFor();
      const row = source(page, "127.0.0.1:9/opening-hours");
      await row.getByTestId("knowledge-status").filter({ hasText: "Failed" }).waitFor({ timeout: 30_000 });
      expect(await row.getByTestId("knowledge-error").innerText()).toBe(
        "No page of the site could be read. The address is on a private network; only public websites can be added.",
      );
      expect(await row.getByRole("link", { name: "http://127.0.0.1:9/opening-hours" }).getAttribute("href")).toBe("http://127.0.0.1:9/opening-hours");
      expect(await row.getByRole("button", { name: "Re-index" }).isEnabled()).toBe(true);
      await expectContentFits(page);
    });
  });

  it("tells the owner when the document cap refuses a new source, and keeps what was typed", async () => {
    const { server, browser, database } = started();
    const email = "knowledge-full@audnix.local";
    await withPage(browser, async (page) => {
      await openKnowledge(page, server.url, email);
      const owner = await database.db.asSystem((tx) => tx.user.findUniqueOrThrow({ where: { email } }));
      await database.db.asSystem((tx) =>
        tx.knowledgeDocument.createMany({
          data: Array.from({ length: KNOWLEDGE_DOCUMENTS_PER_USER_MAX }, (_, index) => ({
            userId: owner.id,
            kind: "faq" as const,
            title: `Question ${index + 1}`,
            content: `Q: Question ${index + 1}\nA: Answer`,
            status: "ready" as const,
          })),
        }),
      );
      await page.reload();
      const faqForm = page.getByRole("form", { name: "Add a question and answer" });
      await faqForm.getByLabel("Question").fill("Do you ship abroad?");
      await faqForm.getByLabel("Answer").fill("Yes, within the EU.");
      await faqForm.getByRole("button", { name: "Add question" }).click();
      await faqForm.getByRole("alert").filter({ hasText: KNOWLEDGE_DOCUMENTS_LIMIT_REFUSAL }).waitFor();
      expect(await faqForm.getByLabel("Question").inputValue()).toBe("Do you ship abroad?");
      expect(await database.db.asSystem((tx) => tx.knowledgeDocument.count({ where: { userId: owner.id } }))).toBe(KNOWLEDGE_DOCUMENTS_PER_USER_MAX);
    });
  });
});
