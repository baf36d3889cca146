import type { EmailCredentials } from "@audnix/core";
import SMTPConnection from "nodemailer/lib/smtp-connection";
import { resolveSmtpHost, type HostResolver, type SmtpHostResolution } from "./smtp-host.ts";

// One SMTP session with the owner's server, on nodemailer's connection (its documented low-level
// API), so we know how far it got when something breaks: the sender must tell "nothing was
// handed over" (connect, TLS, login: safe to retry) from "the message may be with the server"
// (a timeout or reset once MAIL FROM went out: never resent). nodemailer's transport reports a
// socket timeout the same way in every phase, hence this.

/** "setup": connect, TLS, login; "transaction": MAIL FROM, RCPT TO, DATA and its final reply. */
export type SmtpPhase = "setup" | "transaction";

/** A failed session: where it broke, and nodemailer's error (code, responseCode, command). */
export class SmtpSessionError extends Error {
  override name = "SmtpSessionError";
  readonly phase: SmtpPhase;
  constructor(phase: SmtpPhase, cause: unknown) {
    super(`SMTP ${phase} failed`, { cause });
    this.phase = phase;
  }
}

export interface SmtpSessionOptions {
  smtp: EmailCredentials["smtp"];
  /** Per phase (connect, greeting, each reply). */
  timeoutMs: number;
  /** Refuse hosts that resolve into private networks (production: the owner types the host). */
  blockPrivateNetworks: boolean;
  resolve?: HostResolver;
}

export interface SmtpMail {
  envelope: { from: string; to: string[] };
  raw: Buffer;
}

export type SmtpSessionResult = { ok: true } | Extract<SmtpHostResolution, { ok: false }>;

/**
 * Resolves and checks the host, connects to the checked address, logs in, and with `mail` hands
 * the message over. Rejects with SmtpSessionError; a refused host resolves to its problem.
 */
export async function runSmtpSession(options: SmtpSessionOptions, mail?: SmtpMail): Promise<SmtpSessionResult> {
  const { smtp, timeoutMs } = options;
  const target = await resolveSmtpHost(smtp.host, { blockPrivateNetworks: options.blockPrivateNetworks, ...(options.resolve ? { resolve: options.resolve } : {}) });
  if (!target.ok) return target;
  const connection = new SMTPConnection({
    host: target.address,
    port: smtp.port,
    secure: smtp.secure,
    // Certificates are checked against the name the owner typed, not the address we dialled.
    ...(target.servername ? { tls: { servername: target.servername } } : {}),
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  });
  await new Promise<void>((resolve, reject) => {
    let phase: SmtpPhase = "setup";
    let settled = false;
    const finish = (error?: unknown) => {
      if (settled) return;
      settled = true;
      if (error === undefined) {
        connection.quit();
        resolve();
      } else {
        connection.close();
        reject(new SmtpSessionError(phase, error));
      }
    };
    connection.once("error", (error) => finish(error));
    connection.once("end", () => finish(new Error("the SMTP server closed the connection")));
    connection.connect((connectError) => {
      if (connectError) return finish(connectError);
      connection.login({ user: smtp.user, pass: smtp.password }, (loginError) => {
        if (loginError) return finish(loginError);
        if (!mail) return finish();
        phase = "transaction";
        connection.send(mail.envelope, mail.raw, (sendError) => finish(sendError ?? undefined));
      });
    });
  });
  return { ok: true };
}
