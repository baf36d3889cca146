/**
 * Shown on a connection made against an earlier `pnpm dev` launch's local fake (that fake is
 * gone; the simulate form refuses the channel), on its card and in "Simulate a message".
 */
export const STALE_SANDBOX_NOTE =
  "Connected to the local test fake of an earlier `pnpm dev` run: nothing sent on it reaches anyone, and it cannot be simulated. Disconnect and connect again.";
