import { setTimeout as sleep } from "node:timers/promises";
import { simpleParser } from "mailparser";
import { SMTPServer, type SMTPServerAddress } from "smtp-server";

// A real SMTP server (the `smtp-server` package) that demands AUTH and keeps what it accepts:
// nodemailer talks to it exactly as to a mail provider, minus TLS. Serves tests and sandbox mode.

export interface FakeSmtpUser {
  user: string;
  password: string;
}

export interface FakeSmtpMessage {
  envelope: { mailFrom: string | null; rcptTo: string[]; user: string | null };
  raw: string;
  parsed: {
    subject: string | null;
    text: string | null;
    html: string | null;
    /** Header names lower-cased, values as mailparser structures them. */
    headers: Map<string, unknown>;
    messageId: string | null;
    inReplyTo: string | null;
    references: string[];
    /** The List-Unsubscribe header's raw value, e.g. "<https://…>". */
    listUnsubscribe: string | null;
  };
}

export interface SmtpRejection {
  /** An SMTP reply code: 4xx temporary (the sender should retry), 5xx permanent. */
  code: number;
  message: string;
}

export interface FakeSmtpServer {
  host: "127.0.0.1";
  port: number;
  users: FakeSmtpUser[];
  messages: FakeSmtpMessage[];
  /** The next `times` messages are refused at the end of DATA with this reply (nothing is kept). */
  rejectNext(rejection: SmtpRejection, times?: number): void;
  /**
   * From now on every message is kept at the end of DATA, and the 250 reply waits `delayMs` (null:
   * at once again): past the client's timeout, the client gives up on a message that was accepted.
   */
  answerDataAfter(delayMs: number | null): void;
  close(): Promise<void>;
}

export interface FakeSmtpServerOptions {
  users?: FakeSmtpUser[];
  port?: number;
}

/** The login a fake started without options accepts. */
export const FAKE_SMTP_DEFAULT_USER: FakeSmtpUser = { user: "sandbox@audnix.local", password: "fake-smtp-password" };

export async function startFakeSmtpServer(options: FakeSmtpServerOptions = {}): Promise<FakeSmtpServer> {
  const users = [...(options.users ?? [FAKE_SMTP_DEFAULT_USER])];
  const messages: FakeSmtpMessage[] = [];
  const rejections: SmtpRejection[] = [];
  let answerDelayMs: number | null = null;

  const server = new SMTPServer({
    secure: false,
    // No certificate on 127.0.0.1: plain-text AUTH is allowed, and STARTTLS is not offered so a
    // client with secure:false does not try to upgrade.
    disabledCommands: ["STARTTLS"],
    allowInsecureAuth: true,
    authOptional: false,
    authMethods: ["PLAIN", "LOGIN"],
    logger: false,
    // Clients left connected (pooled transports) would otherwise hold close() for 30 s.
    closeTimeout: 500,
    onAuth(auth, _session, callback) {
      const known = users.some((entry) => entry.user === auth.username && entry.password === auth.password);
      if (!known) return callback(smtpError(535, "5.7.8 Authentication credentials invalid"));
      callback(null, { user: auth.username });
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("error", (error) => callback(error));
      stream.on("end", () => {
        const rejection = rejections.shift();
        if (rejection) return callback(smtpError(rejection.code, rejection.message));
        const raw = Buffer.concat(chunks).toString("utf8");
        // The message is kept before the client hears 250, so a test can read it right after sendMail.
        simpleParser(raw).then(
          (mail) => {
            messages.push({
              envelope: {
                mailFrom: addressOf(session.envelope.mailFrom),
                rcptTo: session.envelope.rcptTo.map((recipient) => recipient.address),
                user: typeof session.user === "string" ? session.user : null,
              },
              raw,
              parsed: {
                subject: mail.subject ?? null,
                text: mail.text ?? null,
                html: typeof mail.html === "string" ? mail.html : null,
                headers: mail.headers,
                messageId: mail.messageId ?? null,
                inReplyTo: mail.inReplyTo ?? null,
                references: mail.references === undefined ? [] : [mail.references].flat(),
                listUnsubscribe: mail.headerLines.find((line) => line.key === "list-unsubscribe")?.line.replace(/^[^:]*:\s*/, "") ?? null,
              },
            });
            const accepted = () => callback(null, "2.0.0 Ok: queued");
            if (answerDelayMs === null) return accepted();
            void sleep(answerDelayMs, undefined, { ref: false }).then(accepted);
          },
          (error: unknown) => callback(smtpError(554, `5.6.0 Message could not be parsed: ${String(error)}`)),
        );
      });
    },
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.server.address();
  if (address === null || typeof address === "string") throw new Error("the fake SMTP server has no TCP address");

  return {
    host: "127.0.0.1",
    port: address.port,
    users,
    messages,
    rejectNext(rejection, times = 1) {
      for (let i = 0; i < times; i += 1) rejections.push(rejection);
    },
    answerDataAfter: (delayMs) => void (answerDelayMs = delayMs),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function smtpError(responseCode: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode });
}

function addressOf(mailFrom: SMTPServerAddress | false): string | null {
  return mailFrom === false ? null : mailFrom.address;
}
