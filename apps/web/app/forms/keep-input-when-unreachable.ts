import type { ClientActionFunctionArgs, ShouldRevalidateFunctionArgs } from "@remix-run/react";

/** What every form says when its request never reached the server. */
export const UNREACHABLE_MESSAGE = "Couldn't reach Audnix. Your text is still here; try again.";

// The answers made up in the browser, so revalidation can tell them from the server's.
const unreachableAnswers = new WeakSet<object>();

/**
 * A route's `clientAction` for every form that posts to it. Without it, a submit whose request
 * never reaches the server (offline, server down) throws into the error page, and what the owner
 * typed is gone. With it, the form stays on screen, as typed, and gets `failure(form)`: the
 * route's own failure shape carrying UNREACHABLE_MESSAGE, which its components already show.
 * Pair it with `skipRevalidationWhenUnreachable` on every route with a loader on that page.
 */
export function keepInputWhenUnreachable<Result extends object>(failure: (form: FormData) => Result) {
  return async ({ request, serverAction }: ClientActionFunctionArgs): Promise<Result> => {
    // Read before the server call consumes the body.
    const form = await request.clone().formData();
    try {
      // The route's action answers plain JSON-safe objects, which single fetch returns unchanged.
      return (await serverAction<Result>()) as Result;
    } catch (error) {
      // fetch rejects with a TypeError when no response arrives at all; an answer from the server,
      // even an error page, comes back otherwise and keeps its usual path.
      if (!(error instanceof TypeError)) throw error;
      const answer = failure(form);
      unreachableAnswers.add(answer);
      return answer;
    }
  };
}

/**
 * A route's `shouldRevalidate`: after an unreachable submit the loaders are not asked again (they
 * would fail the same way and replace the page, form and all, with the error page).
 */
export function skipRevalidationWhenUnreachable({ actionResult, defaultShouldRevalidate }: ShouldRevalidateFunctionArgs): boolean {
  if (typeof actionResult === "object" && actionResult !== null && unreachableAnswers.has(actionResult)) return false;
  return defaultShouldRevalidate;
}
