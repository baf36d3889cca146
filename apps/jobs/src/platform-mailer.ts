import { parsePlatformSender, parsePlatformSmtpUrl, type PlatformMailer } from "@audnix/core";
import { createSmtpPlatformMailer } from "@audnix/integrations";
import type { JobsEnv } from "./env.ts";

/** Outside production, without PLATFORM_EMAIL_FROM (env.ts requires it in production). */
const DEVELOPMENT_SENDER = "Audnix <no-reply@audnix.local>";

/** The platform's mailer, or null when PLATFORM_SMTP_URL is unset (nothing is emailed). */
export function platformMailerFromEnv(env: Pick<JobsEnv, "PLATFORM_SMTP_URL" | "PLATFORM_EMAIL_FROM" | "SEND_TIMEOUT_SECONDS">): PlatformMailer | null {
  if (env.PLATFORM_SMTP_URL === undefined) return null;
  // env.ts validated both with the same parsers; a failure here is a programming error.
  const smtp = parsePlatformSmtpUrl(env.PLATFORM_SMTP_URL);
  const from = parsePlatformSender(env.PLATFORM_EMAIL_FROM ?? DEVELOPMENT_SENDER);
  if (!smtp.ok || !from.ok) throw new Error("PLATFORM_SMTP_URL or PLATFORM_EMAIL_FROM is invalid");
  return createSmtpPlatformMailer({
    smtp: smtp.value,
    from: from.value,
    ...(env.SEND_TIMEOUT_SECONDS === undefined ? {} : { timeoutMs: env.SEND_TIMEOUT_SECONDS * 1000 }),
  });
}
