import { createHash } from "node:crypto";

// Builds the RFC 5322 message a mail client would send: multipart/alternative text + HTML, wrapped
// in multipart/mixed when there are attachments; UTF-8 bodies in base64, RFC 2047 headers.

export interface FakeMailAttachment {
  fileName: string;
  mimeType: string;
  content: string | Uint8Array;
}

export interface FakeMail {
  from: string;
  fromName?: string;
  to: string;
  subject: string;
  text: string;
  /** Without angle brackets. */
  messageId: string;
  date: Date;
  inReplyTo?: string;
  references?: string[];
  /** Earlier text of the thread, appended the way Gmail quotes it (attribution line, "> " lines). */
  quotedHistory?: string;
  attachments?: FakeMailAttachment[];
  /** Further headers, e.g. Auto-Submitted for an out-of-office reply. */
  headers?: Record<string, string>;
}

const CRLF = "\r\n";

export function buildFakeMime(mail: FakeMail): string {
  const boundary = (kind: string) => `=_fake_${createHash("sha256").update(mail.messageId).digest("hex").slice(0, 20)}_${kind}`;
  const attribution = `On ${mail.date.toUTCString()}, <${mail.to}> wrote:`;
  const text = mail.quotedHistory === undefined ? mail.text : `${mail.text}\n\n${attribution}\n\n${quote(mail.quotedHistory)}`;
  // MIME text is canonically CRLF-terminated, whatever the platform's line ends.
  const plain = text.replace(/\r?\n/g, CRLF);
  const alternative = multipart("alternative", boundary("alt"), [
    part(["Content-Type: text/plain; charset=UTF-8", "Content-Transfer-Encoding: base64"], plain),
    part(["Content-Type: text/html; charset=UTF-8", "Content-Transfer-Encoding: base64"], html(mail.text, mail.quotedHistory, attribution)),
  ]);
  const attachments = mail.attachments ?? [];
  const body =
    attachments.length === 0
      ? alternative
      : multipart("mixed", boundary("mix"), [alternative.headers.concat("", alternative.body).join(CRLF), ...attachments.map(attachmentPart)]);

  const headers = [
    `From: ${mailbox(mail.fromName, mail.from)}`,
    `To: ${mail.to}`,
    `Subject: ${headerText(mail.subject)}`,
    `Date: ${mail.date.toUTCString().replace(/GMT$/, "+0000")}`,
    `Message-ID: <${mail.messageId}>`,
    ...(mail.inReplyTo ? [`In-Reply-To: <${mail.inReplyTo}>`] : []),
    ...(mail.references?.length ? [`References: ${mail.references.map((id) => `<${id}>`).join(`${CRLF} `)}`] : []),
    ...Object.entries(mail.headers ?? {}).map(([name, value]) => `${name}: ${value}`),
    "MIME-Version: 1.0",
    ...body.headers,
  ];
  return [...headers, "", body.body].join(CRLF);
}

interface Entity {
  headers: string[];
  body: string;
}

function multipart(subtype: "alternative" | "mixed", boundary: string, parts: string[]): Entity {
  const body = parts.map((content) => `--${boundary}${CRLF}${content}${CRLF}`).join("") + `--${boundary}--${CRLF}`;
  return { headers: [`Content-Type: multipart/${subtype}; boundary="${boundary}"`], body };
}

function part(headers: string[], content: string | Uint8Array): string {
  return [...headers, "", base64Lines(content)].join(CRLF);
}

function attachmentPart(attachment: FakeMailAttachment): string {
  const name = parameter("name", attachment.fileName);
  return part(
    [
      `Content-Type: ${attachment.mimeType}; ${name}`,
      `Content-Disposition: attachment; ${parameter("filename", attachment.fileName)}`,
      "Content-Transfer-Encoding: base64",
    ],
    attachment.content,
  );
}

function base64Lines(content: string | Uint8Array): string {
  const encoded = Buffer.from(content).toString("base64");
  return (encoded.match(/.{1,76}/g) ?? [""]).join(CRLF);
}

function html(text: string, quotedHistory: string | undefined, attribution: string): string {
  const own = `<div dir="ltr">${paragraphs(text)}</div>`;
  if (quotedHistory === undefined) return own;
  return `${own}<br><div class="gmail_quote"><div class="gmail_attr">${escapeHtml(attribution)}<br></div><blockquote class="gmail_quote">${paragraphs(quotedHistory)}</blockquote></div>`;
}

function paragraphs(text: string): string {
  return text
    .split("\n")
    .map((line) => `<div>${line === "" ? "<br>" : escapeHtml(line)}</div>`)
    .join("");
}

function quote(text: string): string {
  return text
    .split("\n")
    .map((line) => (line === "" ? ">" : `> ${line}`))
    .join("\n");
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

function mailbox(name: string | undefined, address: string): string {
  if (!name) return address;
  const display = PRINTABLE_ASCII.test(name) ? `"${name.replace(/(["\\])/g, "\\$1")}"` : encodedWords(name);
  return `${display} <${address}>`;
}

function headerText(text: string): string {
  return PRINTABLE_ASCII.test(text) ? text : encodedWords(text);
}

// RFC 2047: each encoded word stays under 75 characters and never splits a character.
function encodedWords(text: string): string {
  const words: string[] = [];
  let chunk = "";
  for (const char of text) {
    if (Buffer.byteLength(chunk + char) > 45) {
      words.push(chunk);
      chunk = "";
    }
    chunk += char;
  }
  if (chunk !== "") words.push(chunk);
  return words.map((word) => `=?UTF-8?B?${Buffer.from(word).toString("base64")}?=`).join(`${CRLF} `);
}

// RFC 2231 for non-ASCII file names.
function parameter(name: string, value: string): string {
  return PRINTABLE_ASCII.test(value) ? `${name}="${value.replace(/(["\\])/g, "\\$1")}"` : `${name}*=UTF-8''${encodeURIComponent(value)}`;
}
