// Knowledge sources benchmark (docs/decisions/0020): extracting the same ~450,000 characters from
// a 200-page PDF, a DOCX, markdown and HTML, in process and on the worker-thread pool the job
// uses, next to plain text of the same words (the baseline: decoding alone), in this run.
import { createKnowledgeExtractPool, extractKnowledgeFile } from "@audnix/integrations";
import { buildDocx, buildPdf } from "@audnix/integrations/testing";
import type { KnowledgeFileExtractor, KnowledgeFileFormat } from "@audnix/core";
import { printTable, summarize, type Summary } from "./stats.ts";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const paragraph = (n: number) => `Paragraph ${n}: our linen dresses are sewn by hand in Lisbon and shipped within two days.`;
const sections = Array.from({ length: 200 }, (_, i) => ({ heading: `Section ${i}`, paragraphs: Array.from({ length: 25 }, (_, j) => paragraph(i * 25 + j)) }));
const encode = (text: string) => new TextEncoder().encode(text);

async function measure(label: string, extract: KnowledgeFileExtractor, format: KnowledgeFileFormat, bytes: Uint8Array): Promise<Summary> {
  const latenciesMs: number[] = [];
  const started = performance.now();
  for (let round = 0; round < ROUNDS; round += 1) {
    const t0 = performance.now();
    const result = await extract({ format, bytes });
    if (!result.ok) throw new Error(`${label}: ${result.failure}`);
    latenciesMs.push(performance.now() - t0);
  }
  return summarize({ label, operations: ROUNDS, seconds: (performance.now() - started) / 1000, latenciesMs });
}

export async function benchKnowledgeSources(): Promise<void> {
  const files: Array<[string, KnowledgeFileFormat, Uint8Array]> = [
    ["txt", "txt", encode(sections.map((s) => `${s.heading}\n\n${s.paragraphs.join("\n\n")}`).join("\n\n"))],
    ["pdf, 200 pages", "pdf", await buildPdf(sections)],
    ["docx", "docx", await buildDocx(sections)],
    ["md", "md", encode(sections.map((s) => `## ${s.heading}\n\n${s.paragraphs.join("\n\n")}`).join("\n\n"))],
    ["html", "html", encode(`<body>${sections.map((s) => `<h2>${s.heading}</h2>${s.paragraphs.map((p) => `<p>${p}</p>`).join("")}`).join("")}</body>`)],
  ];
  const pool = createKnowledgeExtractPool({ maxThreads: 1 });
  try {
    const rows: Summary[] = [];
    for (const [label, format, bytes] of files) {
      rows.push(await measure(`${label} in process`, extractKnowledgeFile, format, bytes));
      rows.push(await measure(`${label} on the pool`, pool.extract, format, bytes));
    }
    const [baseline] = rows;
    if (baseline) printTable(`Knowledge file extraction, ${ROUNDS} rounds each (~450,000 characters)`, rows, baseline, "a 200-page PDF well inside the pool's 2-minute budget");
  } finally {
    await pool.close();
  }
}
