import { randomBytes } from "node:crypto";
import type { TrpcContext } from "@audnix/api";
import { inboundEmailAddress } from "@audnix/core";
import { verifySmtpCredentials, verifyWhatsappPhoneNumber } from "@audnix/integrations";
import { getEnv } from "../env.server.ts";
import { tokenCipher } from "../token-cipher.server.ts";

type ConnectionServices = NonNullable<TrpcContext["connections"]>;

let cached: ConnectionServices | undefined;

/** The vendor checks and the cipher behind "Verify & connect", built once per process. */
export function connectionServices(): ConnectionServices {
  if (cached) return cached;
  const env = getEnv();
  // Tests and local development run their SMTP fake on 127.0.0.1; production must not probe its own network.
  const blockPrivateNetworks = env.NODE_ENV === "production";
  cached = {
    cipher: tokenCipher(),
    verifyWhatsappNumber: (input) => verifyWhatsappPhoneNumber({ baseUrl: env.WHATSAPP_GRAPH_BASE_URL, ...input }),
    verifySmtp: (smtp) => verifySmtpCredentials(smtp, { blockPrivateNetworks }),
    inboundEmailAddress: (label) => inboundEmailAddress({ label, domain: env.INBOUND_EMAIL_DOMAIN, randomBytes }),
  };
  return cached;
}
