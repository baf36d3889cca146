import { z } from "zod";

// PLATFORM_SMTP_URL and PLATFORM_EMAIL_FROM, read by the apps' env modules. Parsing lives here so
// both apps accept the same shapes and name the same problems (never echoing a value).

export interface PlatformSmtpSettings {
  host: string;
  port: number;
  /** smtps:// = TLS from the start (465); smtp:// = STARTTLS when the server offers it. */
  secure: boolean;
  user: string;
  password: string;
}

export interface PlatformSender {
  address: string;
  name?: string;
}

export type PlatformSetting<T> = { ok: true; value: T } | { ok: false; problem: string };

const MAX_CONFIG_LENGTH = 2_000;

/** smtp(s)://user:password@host:port; user and password percent-encoded (an @ in the user is %40). */
export function parsePlatformSmtpUrl(text: string): PlatformSetting<PlatformSmtpSettings> {
  if (text.length > MAX_CONFIG_LENGTH || !URL.canParse(text)) return { ok: false, problem: "must be an smtp:// or smtps:// URL" };
  const url = new URL(text);
  if (url.protocol !== "smtp:" && url.protocol !== "smtps:") return { ok: false, problem: "must be an smtp:// or smtps:// URL" };
  if (url.hostname === "") return { ok: false, problem: "must name a host" };
  const user = decode(url.username);
  const password = decode(url.password);
  if (user === null || password === null || user === "" || password === "") {
    return { ok: false, problem: "must carry a user and password (smtp://user:password@host:port, percent-encoded)" };
  }
  const secure = url.protocol === "smtps:";
  const port = url.port === "" ? (secure ? 465 : 587) : Number(url.port);
  // WHATWG URL keeps IPv6 literals bracketed; sockets want them bare.
  return { ok: true, value: { host: url.hostname.replace(/^\[|\]$/g, ""), port, secure, user, password } };
}

/** "no-reply@audnix.example" or "Audnix <no-reply@audnix.example>". */
export function parsePlatformSender(text: string): PlatformSetting<PlatformSender> {
  const problem = { ok: false, problem: 'must be an email address or "Name <address>"' } as const;
  if (text.length > MAX_CONFIG_LENGTH) return problem;
  const trimmed = text.trim();
  // One optional display name, then the address; both without angle brackets (linear: no nesting).
  const named = /^([^<>]*)<([^<>]+)>$/.exec(trimmed);
  const address = (named ? named[2] : trimmed)?.trim() ?? "";
  if (!z.email().safeParse(address).success) return problem;
  const name = named?.[1]?.trim().replace(/^"|"$/g, "");
  return { ok: true, value: name ? { address, name } : { address } };
}

function decode(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}
