import type { SignInErrorCode } from "./sign-in-errors.ts";

/** A sign-in that must end on /auth with `code`'s message; `reason` is for the log only. */
export class SignInFailure extends Error {
  readonly code: SignInErrorCode;

  constructor(code: SignInErrorCode, reason: string, options?: ErrorOptions) {
    super(reason, options);
    this.name = "SignInFailure";
    this.code = code;
  }
}
