// Knowledge benchmark: search (full-text ranking, the keyless path) at 100k chunks over 100
// tenants next to a plain indexed lookup on the same table through the same asUser path, and
// ingestion throughput for a 200-page document, measured in this run on this machine.
import { chunkText, createSeededRandom, type KnowledgeIngestPayload } from "@audnix/core";
import { addKnowledgeDocument, createDb, runKnowledgeIngestStep, searchKnowledge, type Db } from "@audnix/db";
import { createBenchDatabase } from "./bench-database.ts";
import { printTable, runClosedLoop, summarize } from "./stats.ts";

const TENANTS = 100;
const CHUNKS_PER_TENANT = 1_000;
const DOCUMENTS_PER_TENANT = 2;
const CONCURRENCY = 4;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
/** A dense page of text: about 3,000 characters. */
const PAGE_CHARS = 3_000;

const random = createSeededRandom(7);
// A shop's vocabulary: common words repeat across tenants, as they do in real knowledge bases.
const WORDS = Array.from({ length: 3_000 }, (_, i) => {
  const syllables = ["ka", "lo", "mi", "ne", "ra", "su", "ti", "vo", "be", "do", "fa", "gu"];
  let word = "";
  for (let n = i; word.length < 4 || n > 0; n = Math.floor(n / syllables.length)) word += syllables[n % syllables.length];
  return word;
});
const word = () => WORDS[Math.floor(Math.pow(random(), 2) * WORDS.length)] ?? "ka";
const sentence = () => `${Array.from({ length: 12 }, word).join(" ")}.`;

/** Markdown of about `chars` characters: a heading every few paragraphs. */
function documentOf(chars: number): string {
  const parts: string[] = [];
  let length = 0;
  for (let section = 0; length < chars; section += 1) {
    const text = `## Section ${section} ${word()}\n${Array.from({ length: 4 }, () => Array.from({ length: 5 }, sentence).join(" ")).join("\n\n")}`;
    parts.push(text);
    length += text.length;
  }
  return parts.join("\n\n");
}

async function indexFully(db: Db, payload: KnowledgeIngestPayload): Promise<number> {
  let next: KnowledgeIngestPayload | null = payload;
  let chunks = 0;
  while (next) {
    const step = await runKnowledgeIngestStep(db, null, next);
    if (step.outcome === "ready") chunks = step.chunks;
    next = step.outcome === "continued" ? step.next : null;
  }
  return chunks;
}

async function chunkCount(db: Db, userId: string): Promise<number> {
  return db.asUser(userId, (tx) => tx.knowledgeChunk.count({ where: { userId } }));
}

export async function benchKnowledge(): Promise<void> {
  const bench = await createBenchDatabase();
  const db = createDb({ url: bench.appUrl, maxConnections: CONCURRENCY + 2 });
  try {
    const tenants = await db.asSystem((tx) =>
      Promise.all(Array.from({ length: TENANTS }, (_, i) => tx.user.create({ data: { email: `bench${i}@audnix.local`, plan: "pro" }, select: { id: true } }))),
    );
    const ids = tenants.map((tenant) => tenant.id);

    console.log("knowledge: ingesting a 200-page document (one tenant, keyless)…");
    const bookTenant = ids[0] ?? "";
    const { id: bookId } = await addKnowledgeDocument(db, bookTenant, { kind: "text", title: "Catalogue", content: documentOf(200 * PAGE_CHARS) });
    const started = performance.now();
    const bookChunks = await indexFully(db, { userId: bookTenant, documentId: bookId });
    const bookSeconds = (performance.now() - started) / 1000;

    // The chunker's own yield on this text (overlap included), so tenants end near CHUNKS_PER_TENANT.
    const sample = documentOf(100_000);
    const charsPerChunk = sample.length / chunkText(sample).length;
    console.log(`knowledge: filling ${TENANTS} tenants to ${CHUNKS_PER_TENANT} chunks each…`);
    let next = 1;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (let tenant = next++; tenant < TENANTS; tenant = next++) {
          const userId = ids[tenant] ?? "";
          for (let d = 0; d < DOCUMENTS_PER_TENANT; d += 1) {
            const chars = (CHUNKS_PER_TENANT / DOCUMENTS_PER_TENANT) * charsPerChunk;
            const { id } = await addKnowledgeDocument(db, userId, { kind: "text", title: `Guide ${d}`, content: documentOf(chars) });
            await indexFully(db, { userId, documentId: id });
          }
        }
      }),
    );
    const total = (await Promise.all(ids.map((id) => chunkCount(db, id)))).reduce((sum, n) => sum + n, 0);
    const firstDocument = await db.asSystem((tx) =>
      tx.knowledgeChunk.findMany({ distinct: ["userId"], select: { userId: true, documentId: true } }),
    );
    await db.pool.query("ANALYZE knowledge_chunks; ANALYZE knowledge_documents");

    const pick = (worker: number, iteration: number) => firstDocument[(worker * 31 + iteration * 7) % firstDocument.length];
    console.log(`knowledge: ${total} chunks; measuring (${CONCURRENCY} clients, ${SECONDS} s each)…`);
    const lookup = summarize(
      await runClosedLoop("baseline: chunk by (document_id, ordinal), asUser", CONCURRENCY, SECONDS * 1000, async (worker, iteration) => {
        const target = pick(worker, iteration);
        if (!target) return;
        await db.asUser(target.userId, (tx) => tx.knowledgeChunk.findFirst({ where: { documentId: target.documentId, ordinal: iteration % 50 }, select: { id: true } }));
      }),
    );
    const search = summarize(
      await runClosedLoop("knowledge.search (full text, top 5)", CONCURRENCY, SECONDS * 1000, async (worker, iteration) => {
        const target = pick(worker, iteration);
        if (!target) return;
        await searchKnowledge(db, { userId: target.userId, query: `hi, do you have ${word()} ${word()} or ${word()}? ${word()}`, limit: 5 });
      }),
    );
    printTable(
      `Knowledge search (${total} chunks over ${TENANTS} tenants, ${bench.embedded ? "embedded Postgres 18" : "DATABASE_URL's server"})`,
      [lookup, search],
      lookup,
      "search p99 well under a reply's budget; ratio to the indexed lookup reported",
    );
    console.log(
      `\nKnowledge ingestion: a 200-page document (${(200 * PAGE_CHARS).toLocaleString("en")} characters) gave ${bookChunks} chunks in ` +
        `${bookSeconds.toFixed(2)} s = ${(bookChunks / bookSeconds).toFixed(0)} chunks/s (keyless: chunking + tsvector writes, one batch per job run)`,
    );
  } finally {
    await db.close();
    await bench.drop();
  }
}
