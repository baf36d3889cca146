import type { NoticeEvent } from "./inbound-event.ts";

export function noticeEvent(accountId: string, notice: NoticeEvent["notice"], detail: string): NoticeEvent {
  return { kind: "notice", accountId, notice, detail };
}
