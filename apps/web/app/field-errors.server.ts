import type { z } from "zod";

/**
 * The first complaint per form field from a zod error (the API's or the page's own schema), keyed
 * by the first segment of each issue's path: what a form shows under each control.
 */
export function firstErrorPerField<Field extends string>(error: z.ZodError): Partial<Record<Field, string>> {
  const errors: Partial<Record<Field, string>> = {};
  for (const issue of error.issues) {
    const field = issue.path[0];
    if (typeof field === "string" && errors[field as Field] === undefined) errors[field as Field] = issue.message;
  }
  return errors;
}
