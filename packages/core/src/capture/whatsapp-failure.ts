// Why WhatsApp did not deliver a message, in our words. A failed status carries
// errors[{code, title, message, error_data.details}]; Meta asks integrators to act on the code
// (https://developers.facebook.com/documentation/business-messaging/whatsapp/support/error-codes/:
// "build your app's error handling logic around code values"), and the vendor's own text is never
// shown or stored: it can quote numbers and ids.

const REASONS: Record<number, string> = {
  131047: "outside the 24-hour window: the lead has not written in the last 24 hours, so only an approved template can reach them",
  131026: "not a WhatsApp number, or the lead's WhatsApp cannot receive this message",
  131051: "WhatsApp does not support this message type",
  130472: "WhatsApp held the message back: the lead's number is part of a WhatsApp experiment",
  131049: "WhatsApp chose not to deliver it, to limit marketing messages the lead gets",
  131050: "the lead has stopped marketing messages from this business",
  131021: "the recipient is the business's own number",
  131030: "the recipient is not on the allowed list of this test number",
  131031: "the WhatsApp Business account is locked",
  131042: "a payment problem on the WhatsApp Business account",
  131048: "WhatsApp's spam rate limit for this number was reached",
  131053: "the attached media could not be uploaded",
  131056: "too many messages to this lead in a short time",
  131000: "WhatsApp had an internal error",
  131016: "WhatsApp was temporarily unavailable",
  132000: "the template parameters do not match the template",
  132001: "the template does not exist or is not approved",
  132015: "the template is paused",
  132016: "the template is disabled",
  133010: "the business's phone number is not registered on WhatsApp",
};

/**
 * What a WhatsApp error code means, in our words, or undefined for a code we have no words for.
 * The one table for both ways WhatsApp refuses: the send's own answer and a later failed status.
 */
export function whatsappErrorMeaning(code: number): string | undefined {
  return REASONS[code];
}

export interface DeliveryFailure {
  /** The vendor's code, kept for support (null when the report named none). */
  code: string | null;
  /** What the owner reads under the message. */
  reason: string;
}

/** Our words for the first error of a failed WhatsApp status (the one Meta lists first names the cause). */
export function whatsappDeliveryFailure(codes: number[]): DeliveryFailure {
  const code = codes[0];
  if (code === undefined) return { code: null, reason: "WhatsApp did not say why" };
  return { code: String(code), reason: whatsappErrorMeaning(code) ?? `WhatsApp could not deliver it (error ${code})` };
}
