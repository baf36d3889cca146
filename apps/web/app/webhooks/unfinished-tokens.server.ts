/**
 * Mailgun tokens whose decode did not finish once (over its time budget, or its thread died), kept
 * until their signature expires (a retry carries the same token). The first time is answered 503
 * in case the machine was just overloaded; the second is taken as an email that will never parse
 * (decision 0019). Per process and bounded: a restart or another process forgets, which costs a
 * poison email a few more attempts within Mailgun's 8 h of retries, never a lost good one.
 */
export class UnfinishedTokens {
  readonly #expiresAt = new Map<string, number>();
  readonly #capacity: number;

  constructor(capacity = 1_000) {
    this.#capacity = capacity;
  }

  /** Records that the token's decode did not finish; true when that had happened before. */
  again(token: string, expiresAt: Date, now: Date): boolean {
    for (const [seen, expiry] of this.#expiresAt) {
      if (expiry <= now.getTime()) this.#expiresAt.delete(seen);
    }
    if (this.#expiresAt.has(token)) return true;
    // Oldest first in a Map: past the bound the oldest is dropped (it gets one more 503, nothing worse).
    if (this.#expiresAt.size >= this.#capacity) this.#expiresAt.delete(this.#expiresAt.keys().next().value ?? "");
    this.#expiresAt.set(token, expiresAt.getTime());
    return false;
  }
}
