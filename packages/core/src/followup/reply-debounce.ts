/**
 * How long a reply waits after the lead's latest message. Each new message from the same lead
 * replaces the pending reply job (per-lead job key), so a burst of quick messages gets one reply
 * that answers all of them.
 */
export const REPLY_DEBOUNCE_SECONDS = 20;
