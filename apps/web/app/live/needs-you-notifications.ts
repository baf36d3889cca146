import { useNavigate } from "@remix-run/react";
import { useEffect, useSyncExternalStore } from "react";
import { subscribeToLiveEvents } from "./use-live-updates.ts";

// Browser notifications for the "Needs you" queue (docs/decisions/0027): opt-in per browser
// (localStorage), permission asked only from the owner's click, one notification per lead that
// starts needing the owner, over the tab's one live stream. The event carries ids and the reason
// only, so the notification says nothing the lead wrote: "A lead needs you".

const STORAGE_KEY = "audnix.needsYouNotifications";
export const NEEDS_YOU_NOTIFICATION_TITLE = "A lead needs you";
const NOTIFICATION_BODY = "Open Audnix to see who is waiting and why.";

/** off: not asked; on: notifying; denied: the browser refused (only its site settings can undo that); unsupported: no Notification API. */
export type NotifyState = "off" | "on" | "denied" | "unsupported";

const listeners = new Set<() => void>();

function readState(): NotifyState {
  if (typeof window === "undefined" || !("Notification" in window)) return "unsupported";
  if (Notification.permission === "denied") return "denied";
  return Notification.permission === "granted" && readOptIn() ? "on" : "off";
}

function readOptIn(): boolean {
  try {
    return window.localStorage.getItem(STORAGE_KEY) === "on";
  } catch {
    // Storage blocked (private mode settings): this browser cannot remember the choice.
    return false;
  }
}

function writeOptIn(on: boolean) {
  try {
    if (on) window.localStorage.setItem(STORAGE_KEY, "on");
    else window.localStorage.removeItem(STORAGE_KEY);
  } catch {
    // See readOptIn.
  }
  for (const notify of listeners) notify();
}

function subscribe(notify: () => void) {
  listeners.add(notify);
  return () => listeners.delete(notify);
}

/** The browser's notification state and the owner's two actions; call `enable` from a click only. */
export function useNeedsYouNotifyState(): { state: NotifyState; enable: () => Promise<void>; disable: () => void } {
  const state = useSyncExternalStore(subscribe, readState, () => "off" as const);
  return {
    state,
    enable: async () => {
      const permission = await Notification.requestPermission();
      writeOptIn(permission === "granted");
    },
    disable: () => writeOptIn(false),
  };
}

/** While mounted (the dashboard layout), shows a notification for each lead that starts needing the owner; a click opens its page. */
export function useNeedsYouNotifications() {
  const navigate = useNavigate();
  useEffect(
    () =>
      subscribeToLiveEvents((message) => {
        if (message.type !== "lead.needs_owner" || readState() !== "on") return;
        const leadPath = `/dashboard/leads/${encodeURIComponent(message.leadId)}`;
        // The tag makes every tab's notification for this lead one notification.
        const notification = new Notification(NEEDS_YOU_NOTIFICATION_TITLE, { body: NOTIFICATION_BODY, tag: `needs-you:${message.leadId}` });
        notification.onclick = () => {
          window.focus();
          navigate(leadPath);
          notification.close();
        };
      }),
    [navigate],
  );
}
