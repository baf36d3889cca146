// Why a provider sign-in failed, as a code safe to put in the /auth URL (never a raw provider
// message) and the sentence the sign-in page shows for it.
export const SIGN_IN_ERROR_MESSAGES = {
  cancelled: "Sign-in was cancelled. Choose a provider to try again.",
  expired: "Your sign-in took too long or was started in another browser. Please try again.",
  state: "This sign-in response did not match the request we sent, so we ignored it. Please try again.",
  code: "This sign-in link was already used or has expired. Please start again.",
  token: "We could not verify the identity your provider sent back. Please try again.",
  unverified: "Your provider has not verified this email address yet. Verify it there, then try again.",
  provider: "The sign-in provider did not respond as expected. Please try again in a moment.",
} as const;

export type SignInErrorCode = keyof typeof SIGN_IN_ERROR_MESSAGES;

export function signInErrorMessage(code: string | null): string | null {
  if (code === null || !Object.hasOwn(SIGN_IN_ERROR_MESSAGES, code)) return null;
  return SIGN_IN_ERROR_MESSAGES[code as SignInErrorCode];
}
