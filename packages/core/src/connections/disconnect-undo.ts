// "Disconnect" can be undone for a while: the sealed credentials stay (unused: nothing sends or
// receives on a disconnected channel) until the window closes, then the worker's
// connections:forget-disconnected run erases them.

/** How long "Undo" can bring a disconnected channel back without entering its credentials again. */
export const DISCONNECT_UNDO_MINUTES = 10;

/** The worker task that erases the credentials of disconnects whose undo window closed. */
export const FORGET_DISCONNECTED_TASK = "connections:forget-disconnected";

export function disconnectUndoDeadline(now: Date): Date {
  return new Date(now.getTime() + DISCONNECT_UNDO_MINUTES * 60_000);
}
