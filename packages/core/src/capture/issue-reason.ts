import type { z } from "zod";

/** "messaging[2].sender.id: Invalid input: expected string, received undefined" (values never included). */
export function issueReason(location: string, error: z.ZodError): string {
  const [first, ...others] = error.issues;
  if (!first) return `${location}: invalid`;
  const path = location + first.path.map((key) => (typeof key === "number" ? `[${key}]` : `.${String(key)}`)).join("");
  const more = others.length > 0 ? ` (+${others.length} more)` : "";
  return `${path}: ${first.message}${more}`;
}
