import type { EmailConnectionSettings, EmailCredentials } from "@audnix/core";
import type { ProtectedContext } from "../../trpc.ts";
import type { ConnectEmailInput } from "./connect-email.schema.ts";
import { requireConnectionServices, saveVerifiedConnection, verificationFailed } from "./save-verified.ts";

export async function connectEmailHandler({ ctx, input }: { ctx: ProtectedContext; input: ConnectEmailInput }) {
  const check = await requireConnectionServices(ctx).verifySmtp(input.smtp);
  if (!check.ok) throw verificationFailed(check.reason);
  const credentials: EmailCredentials = { smtp: input.smtp };
  const settings: EmailConnectionSettings = { fromAddress: input.fromAddress, ...(input.fromName ? { fromName: input.fromName } : {}) };
  return saveVerifiedConnection(
    ctx,
    {
      channel: "email",
      // The inbound webhook routes on the recipient address, lower-cased (packages/integrations/src/email).
      externalAccountId: input.inboundAddress,
      displayName: input.fromName ? `${input.fromName} <${input.fromAddress}>` : input.fromAddress,
      credentials,
      settings,
    },
    "This inbound address is already connected to another Audnix account. Use a different address.",
  );
}
