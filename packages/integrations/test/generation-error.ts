import { GenerationError } from "@audnix/core";
import { expect } from "vitest";

/** The GenerationError `promise` rejects with; the test fails when it resolves or throws anything else. */
export async function generationErrorOf(promise: Promise<unknown>): Promise<GenerationError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(GenerationError);
  return error as GenerationError;
}
