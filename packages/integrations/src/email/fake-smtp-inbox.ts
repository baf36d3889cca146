import { listenFake, sendJson, type FakeHttpServer } from "../fake-http.ts";
import type { FakeSmtpMessage, FakeSmtpServer } from "./fake-smtp-server.ts";

// What the fake SMTP server received, readable in a browser: `pnpm dev` prints this page's URL so
// a newcomer can open the weekly summary (or any platform email) the worker just sent. GET / is
// the inbox (newest first), GET /messages.json the same as JSON.

export interface FakeSmtpInboxOptions {
  port?: number;
}

export async function startFakeSmtpInbox(smtp: Pick<FakeSmtpServer, "messages">, options: FakeSmtpInboxOptions = {}): Promise<FakeHttpServer> {
  return listenFake(options.port, async (request, response) => {
    const path = new URL(request.url ?? "/", "http://fake").pathname;
    if (request.method !== "GET") return sendJson(response, 405, { error: "GET only" });
    const newestFirst = [...smtp.messages].reverse();
    if (path === "/messages.json") return sendJson(response, 200, newestFirst.map(summary));
    if (path !== "/") return sendJson(response, 404, { error: "not found" });
    response.writeHead(200, { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" }).end(inboxPage(newestFirst));
  });
}

function summary(message: FakeSmtpMessage) {
  return {
    from: message.envelope.mailFrom,
    to: message.envelope.rcptTo,
    subject: message.parsed.subject,
    messageId: message.parsed.messageId,
    date: dateOf(message),
    text: message.parsed.text,
  };
}

function dateOf(message: FakeSmtpMessage): string | null {
  const date = message.parsed.headers.get("date");
  return date instanceof Date ? date.toISOString() : null;
}

function inboxPage(messages: FakeSmtpMessage[]): string {
  const items = messages.map(
    (message) => `<article>
<h2>${escapeHtml(message.parsed.subject ?? "(no subject)")}</h2>
<p>To ${escapeHtml(message.envelope.rcptTo.join(", "))} · from ${escapeHtml(message.envelope.mailFrom ?? "?")}${dateOf(message) ? ` · ${escapeHtml(dateOf(message) ?? "")}` : ""}</p>
<pre>${escapeHtml(message.parsed.text ?? "")}</pre>
</article>`,
  );
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Fake SMTP inbox</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:48rem;margin:0 auto;padding:1rem}pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#f4f4f5;padding:.75rem}article{border-top:1px solid #ddd}</style>
</head><body>
<h1>Fake SMTP inbox</h1>
<p>Every email the local fake SMTP server received since <code>pnpm dev</code> started (kept in memory), newest first. Reload to see new ones.</p>
${items.length ? items.join("\n") : "<p>No email yet.</p>"}
</body></html>
`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
