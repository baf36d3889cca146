import { useRevalidator } from "@remix-run/react";
import { useEffect } from "react";

/** Reloads the page's data every `intervalMs` while `waiting` holds (a summary the worker is still making). */
export function useRefreshWhile(waiting: boolean, intervalMs = 2_000): void {
  const revalidator = useRevalidator();
  useEffect(() => {
    if (!waiting) return;
    const timer = setInterval(() => {
      if (revalidator.state === "idle") revalidator.revalidate();
    }, intervalMs);
    return () => clearInterval(timer);
  }, [waiting, intervalMs, revalidator]);
}
