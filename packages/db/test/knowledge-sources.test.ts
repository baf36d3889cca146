import {
  KNOWLEDGE_DOCUMENTS_LIMIT_REFUSAL,
  KNOWLEDGE_DOCUMENTS_PER_USER_MAX,
  KNOWLEDGE_EXTRACT_FAILURES,
  KNOWLEDGE_FILE_MAX_BYTES,
  KNOWLEDGE_FILE_REFUSALS,
  type CrawlPageResult,
  type KnowledgeFileExtractor,
  type SiteFetcher,
} from "@audnix/core";
import { beforeAll, describe, expect, it } from "vitest";
import {
  addKnowledgeFile,
  addKnowledgeUrl,
  KnowledgeLimitError,
  KnowledgeSourceRefusedError,
  knowledgeRefusalMessage,
  listKnowledgeDocuments,
  markKnowledgeSourceFailed,
  reindexKnowledgeDocument,
  runKnowledgeCrawlStep,
  runKnowledgeExtractStep,
} from "../src/index.ts";
import { createOwnerAndStranger, useTestDatabase } from "../src/testing/index.ts";

// The repository side of files and websites (docs/decisions/0020): what an upload or address
// stores and queues, the refusals the owner reads, and the revision that keeps an older run from
// writing over a re-index. Parsers and HTTP are stand-ins here; apps/jobs tests the real ones.

const t = useTestDatabase();
let owner: string;
let stranger: string;
const encode = (text: string) => new TextEncoder().encode(text);

beforeAll(async () => {
  ({ owner, stranger } = await createOwnerAndStranger(t.db));
});

const jobsOf = (documentId: string) =>
  t.db.asSystem((tx) =>
    tx.$queryRaw<Array<{ task_identifier: string; queue_name: string; payload: { revision: number } }>>`
      SELECT j.task_identifier, j.queue_name, p.payload
      FROM graphile_worker.jobs j JOIN graphile_worker._private_jobs p ON p.id = j.id
      WHERE j.key LIKE ${`%:${documentId}`} ORDER BY j.id`,
  );

const refusalOf = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  return { error, message: knowledgeRefusalMessage(error) };
};

describe("addKnowledgeFile", () => {
  it("stores the bytes in their own table, lists the file processing and queues its extraction on the owner's queue", async () => {
    const bytes = encode("# Hours\n\nOpen daily.");
    const { id } = await addKnowledgeFile(t.db, owner, { filename: "C:\\Users\\ana\\Hours.md", contentType: "application/octet-stream", bytes });
    expect((await listKnowledgeDocuments(t.db, owner)).find((d) => d.id === id)).toMatchObject({
      kind: "file",
      title: "Hours",
      filename: "Hours.md",
      sizeBytes: bytes.byteLength,
      status: "processing",
      sourceUrl: null,
    });
    const stored = await t.db.asUser(owner, (tx) => tx.knowledgeFile.findUniqueOrThrow({ where: { documentId: id } }));
    expect(Buffer.from(stored.bytes).toString("utf8")).toBe("# Hours\n\nOpen daily.");
    expect(await t.db.asUser(stranger, (tx) => tx.knowledgeFile.count())).toBe(0);
    expect(await jobsOf(id)).toEqual([{ task_identifier: "knowledge:extract", queue_name: `knowledge:${owner}`, payload: { userId: owner, documentId: id, revision: 1 } }]);
  });

  it.each([
    { upload: "a spreadsheet", input: { filename: "price-list.xlsx", contentType: "application/vnd.ms-excel", bytes: encode("x") }, refusal: "unsupported_type" },
    { upload: "a file without extension", input: { filename: "notes", contentType: "text/plain", bytes: encode("x") }, refusal: "unsupported_type" },
    { upload: "a .pdf sent as HTML", input: { filename: "guide.pdf", contentType: "text/html", bytes: encode("%PDF-1.7") }, refusal: "type_mismatch" },
    { upload: "text renamed .pdf", input: { filename: "guide.pdf", contentType: "application/pdf", bytes: encode("just text renamed") }, refusal: "not_that_format" },
    { upload: "a PDF renamed .docx", input: { filename: "guide.docx", contentType: "", bytes: encode("%PDF-1.7 a pdf renamed") }, refusal: "not_that_format" },
    { upload: "an empty file", input: { filename: "empty.txt", contentType: "text/plain", bytes: new Uint8Array(0) }, refusal: "empty" },
    { upload: "a file over 10 MB", input: { filename: "big.txt", contentType: "text/plain", bytes: new Uint8Array(KNOWLEDGE_FILE_MAX_BYTES + 1).fill(0x61) }, refusal: "too_large" },
    { upload: "a file without a name", input: { filename: "  ", contentType: "text/plain", bytes: encode("x") }, refusal: "no_name" },
  ] as const)("refuses $upload with a sentence and stores nothing", async ({ input, refusal }) => {
    const before = (await listKnowledgeDocuments(t.db, owner)).length;
    const { error, message } = await refusalOf(addKnowledgeFile(t.db, owner, input));
    expect(error).toBeInstanceOf(KnowledgeSourceRefusedError);
    expect(message).toBe(KNOWLEDGE_FILE_REFUSALS[refusal]);
    expect((await listKnowledgeDocuments(t.db, owner)).length).toBe(before);
  });

  it("keeps to the document cap like pasted text, in the same sentence", async () => {
    const full = await t.db.asSystem(async (tx) => (await tx.user.create({ data: { email: "full@shop.example" } })).id);
    await t.db.asUser(full, (tx) =>
      tx.knowledgeDocument.createMany({
        data: Array.from({ length: KNOWLEDGE_DOCUMENTS_PER_USER_MAX }, (_, n) => ({ userId: full, title: `Doc ${n}`, content: "x" })),
      }),
    );
    const file = await refusalOf(addKnowledgeFile(t.db, full, { filename: "a.txt", contentType: "text/plain", bytes: encode("a") }));
    const url = await refusalOf(addKnowledgeUrl(t.db, full, { url: "https://shop.example/" }));
    for (const refused of [file, url]) {
      expect(refused.error).toBeInstanceOf(KnowledgeLimitError);
      expect(refused.message).toBe(KNOWLEDGE_DOCUMENTS_LIMIT_REFUSAL);
    }
  });
});

describe("knowledge:extract and knowledge:crawl steps", () => {
  const extractor =
    (text: string): KnowledgeFileExtractor =>
    async () => ({ ok: true, text });

  it("writes the extracted text and queues indexing; a run of an older revision writes nothing", async () => {
    const { id } = await addKnowledgeFile(t.db, owner, { filename: "faq.txt", contentType: "text/plain", bytes: encode("Q") });
    await reindexKnowledgeDocument(t.db, owner, id);
    expect((await jobsOf(id)).map((job) => job.payload.revision)).toEqual([2]);
    expect(await runKnowledgeExtractStep(t.db, extractor("old run"), { userId: owner, documentId: id, revision: 1 })).toEqual({ outcome: "superseded" });
    expect(await runKnowledgeExtractStep(t.db, extractor("Open daily."), { userId: owner, documentId: id, revision: 2 })).toEqual({
      outcome: "extracted",
      chars: 11,
    });
    const document = await t.db.asUser(owner, (tx) => tx.knowledgeDocument.findUniqueOrThrow({ where: { id } }));
    expect(document).toMatchObject({ content: "Open daily.", sizeChars: 11, status: "processing" });
    expect((await jobsOf(id)).map((job) => job.task_identifier)).toContain("knowledge:ingest");
  });

  it("fails the document with the extractor's reason", async () => {
    const { id } = await addKnowledgeFile(t.db, owner, { filename: "locked.pdf", contentType: "application/pdf", bytes: encode("%PDF-1.7") });
    const step = await runKnowledgeExtractStep(t.db, async () => ({ ok: false, failure: "encrypted" }), { userId: owner, documentId: id, revision: 1 });
    expect(step).toEqual({ outcome: "failed", reason: KNOWLEDGE_EXTRACT_FAILURES.encrypted });
    expect((await listKnowledgeDocuments(t.db, owner)).find((d) => d.id === id)).toMatchObject({ status: "failed", error: KNOWLEDGE_EXTRACT_FAILURES.encrypted });
  });

  it("lets only the current run give up on a document", async () => {
    const { id } = await addKnowledgeFile(t.db, owner, { filename: "menu.txt", contentType: "text/plain", bytes: encode("Soup") });
    await reindexKnowledgeDocument(t.db, owner, id);
    await markKnowledgeSourceFailed(t.db, { userId: owner, documentId: id, revision: 1 }, "old run gave up");
    expect((await listKnowledgeDocuments(t.db, owner)).find((d) => d.id === id)?.status).toBe("processing");
    await markKnowledgeSourceFailed(t.db, { userId: owner, documentId: id, revision: 2 }, "current run gave up");
    expect((await listKnowledgeDocuments(t.db, owner)).find((d) => d.id === id)).toMatchObject({ status: "failed", error: "current run gave up" });
  });

  it("drops a crawl run's pages when the owner re-indexed while it was fetching", async () => {
    const { id } = await addKnowledgeUrl(t.db, owner, { url: "https://shop.example/" });
    const page = (url: string): CrawlPageResult => ({ ok: true, url, base: url, origin: new URL(url).origin, title: "Home", text: "Old text.", links: ["/about"], sizeBytes: 9 });
    const fetcher: SiteFetcher = {
      robots: async () => ({ isAllowed: () => true }),
      page: async (url) => {
        await reindexKnowledgeDocument(t.db, owner, id);
        return page(url);
      },
    };
    expect(await runKnowledgeCrawlStep(t.db, fetcher, { userId: owner, documentId: id, revision: 1 })).toEqual({ outcome: "superseded" });
    const pages = await t.db.asUser(owner, (tx) => tx.knowledgeCrawlPage.findMany({ where: { documentId: id }, select: { url: true, status: true } }));
    // The re-index started over from the first page; the old run left nothing behind.
    expect(pages).toEqual([{ url: "https://shop.example/", status: "queued" }]);
  });
});
