import type { WhatsappCredentials } from "@audnix/core";
import type { ProtectedContext } from "../../trpc.ts";
import type { ConnectWhatsappInput } from "./connect-whatsapp.schema.ts";
import { requireConnectionServices, saveVerifiedConnection, verificationFailed } from "./save-verified.ts";

export async function connectWhatsappHandler({ ctx, input }: { ctx: ProtectedContext; input: ConnectWhatsappInput }) {
  const check = await requireConnectionServices(ctx).verifyWhatsappNumber(input);
  if (!check.ok) throw verificationFailed(check.reason);
  const credentials: WhatsappCredentials = { accessToken: input.accessToken };
  return saveVerifiedConnection(
    ctx,
    {
      channel: "whatsapp",
      // Inbound webhooks name the phone_number_id in metadata: it routes them to this owner.
      externalAccountId: input.phoneNumberId,
      displayName: `${check.verifiedName} (${check.displayPhoneNumber})`,
      credentials,
    },
    "This WhatsApp number is already connected to another Audnix account. Disconnect it there first.",
  );
}
