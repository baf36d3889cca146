import { z } from "zod";

export type WhatsappPhoneNumberCheck =
  | { ok: true; displayPhoneNumber: string; verifiedName: string }
  | { ok: false; reason: string };

export interface VerifyWhatsappPhoneNumberInput {
  /** https://graph.facebook.com, or the fake's URL. */
  baseUrl: string;
  phoneNumberId: string;
  accessToken: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

export const WHATSAPP_GRAPH_VERSION = "v22.0";

const phoneNumberSchema = z.object({ display_phone_number: z.string(), verified_name: z.string() });
const graphErrorSchema = z.object({ error: z.object({ code: z.number(), message: z.string().optional() }) });

/**
 * Reads the business phone number with the owner's token, proving both belong together before the
 * connection is saved. Reasons are written for the owner and never contain the token.
 */
export async function verifyWhatsappPhoneNumber(input: VerifyWhatsappPhoneNumberInput): Promise<WhatsappPhoneNumberCheck> {
  const doFetch = input.fetch ?? fetch;
  const url = new URL(`${input.baseUrl.replace(/\/+$/, "")}/${WHATSAPP_GRAPH_VERSION}/${encodeURIComponent(input.phoneNumberId)}`);
  url.searchParams.set("fields", "display_phone_number,verified_name");
  let response: Response;
  try {
    response = await doFetch(url, {
      headers: { Authorization: `Bearer ${input.accessToken}` },
      signal: AbortSignal.timeout(input.timeoutMs ?? 10_000),
    });
  } catch {
    return { ok: false, reason: "Could not reach the WhatsApp Cloud API. Try again in a minute." };
  }
  const body: unknown = await response.json().catch(() => undefined);
  if (response.ok) {
    const number = phoneNumberSchema.safeParse(body);
    if (number.success) return { ok: true, displayPhoneNumber: number.data.display_phone_number, verifiedName: number.data.verified_name };
    return { ok: false, reason: "The WhatsApp Cloud API answered with something that is not a phone number." };
  }
  const code = graphErrorSchema.safeParse(body).data?.error.code;
  if (code === 190 || code === 102 || code === 104) {
    return { ok: false, reason: "The access token is invalid or expired: create a new one in Meta Business Manager and reconnect." };
  }
  if (code === 100 || code === 803) {
    return { ok: false, reason: "No WhatsApp phone number with that id is reachable with this access token. Check the phone number id." };
  }
  if (code === 10 || code === 200) {
    return { ok: false, reason: "The access token lacks the whatsapp_business_management permission for this number." };
  }
  if (response.status === 429 || response.status >= 500) {
    return { ok: false, reason: "The WhatsApp Cloud API is unavailable right now. Try again in a minute." };
  }
  return { ok: false, reason: `The WhatsApp Cloud API refused the check (HTTP ${response.status}).` };
}
