import type { EmailConnectionSettings, EmailCredentials } from "@audnix/core";
import type { ProtectedContext } from "../../trpc.ts";
import type { ConnectEmailInput } from "./connect-email.schema.ts";
import { requireConnectionServices, saveVerifiedConnection, verificationFailed } from "./save-verified.ts";

export async function connectEmailHandler({ ctx, input }: { ctx: ProtectedContext; input: ConnectEmailInput }) {
  const services = requireConnectionServices(ctx);
  const check = await services.verifySmtp(input.smtp);
  if (!check.ok) throw verificationFailed(check.reason);
  const credentials: EmailCredentials = { smtp: input.smtp };
  const settings: EmailConnectionSettings = { fromAddress: input.fromAddress, ...(input.fromName ? { fromName: input.fromName } : {}) };
  return saveVerifiedConnection(
    ctx,
    {
      channel: "email",
      // The platform's own address for this account (the inbound webhook routes on the recipient,
      // lower-cased): an account that has one keeps it, so the owner's forwarding keeps working.
      externalAccountId: services.inboundEmailAddress(input.fromName ?? input.fromAddress.split("@")[1] ?? ""),
      keepExternalAccountId: true,
      displayName: input.fromName ? `${input.fromName} <${input.fromAddress}>` : input.fromAddress,
      credentials,
      settings,
    },
    // Only a collision of two random addresses could get here: trying again draws a new one.
    "Could not assign an inbound address. Please try again.",
  );
}
