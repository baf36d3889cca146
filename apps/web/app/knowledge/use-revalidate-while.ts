import { useRevalidator } from "@remix-run/react";
import { useEffect, useRef } from "react";

export interface RevalidateBackoff {
  /** The first reload comes this long after what is watched changes. */
  firstMs: number;
  /** Each wait is half again as long as the last, up to this. */
  maxMs: number;
}

/**
 * Reloads the page's data while `watching` is not empty (the ids of sources still being read or
 * indexed; a change, such as a source just added, starts again from the first wait), only
 * while the tab is visible, never stacking a reload on one still running. Indexing writes no live
 * event, and a few small reads cost less than a stream of its own; the waits lengthen, since a
 * FAQ is ready within seconds and a website may take minutes.
 */
export function useRevalidateWhile(watching: string, { firstMs, maxMs }: RevalidateBackoff): void {
  const revalidator = useRevalidator();
  const latest = useRef(revalidator);
  latest.current = revalidator;

  useEffect(() => {
    if (watching === "") return;
    let delay = firstMs;
    let timer: ReturnType<typeof setTimeout>;
    const tick = () => {
      if (document.visibilityState === "visible" && latest.current.state === "idle") latest.current.revalidate();
      delay = Math.min(Math.round(delay * 1.5), maxMs);
      timer = setTimeout(tick, delay);
    };
    timer = setTimeout(tick, delay);
    return () => clearTimeout(timer);
  }, [watching, firstMs, maxMs]);
}
