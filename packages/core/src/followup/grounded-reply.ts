import { z } from "zod";
import { MAX_MESSAGE_CHARS } from "./defaults.ts";
import type { GenerateOptions } from "./ports.ts";
import { DRAFT_READ_FACTOR } from "./validate-draft.ts";

// A reply is asked for as one JSON object, the message and the model's own verdict on whether the
// sources answered the lead (OpenAI structured outputs: the model must follow the schema, so no
// marker has to be fished out of free text). docs/decisions/0021.

/** The JSON schema a reply follows, in the subset strict structured outputs accept (every key required, no extra keys). */
export const GROUNDED_REPLY_FORMAT: NonNullable<GenerateOptions["responseSchema"]> = {
  name: "grounded_reply",
  schema: {
    type: "object",
    properties: {
      message: { type: "string", description: "The message to send to the lead, exactly as it should arrive." },
      covered: {
        type: "boolean",
        description: "false when the lead asked something the numbered sources and the conversation do not answer; true otherwise.",
      },
    },
    required: ["message", "covered"],
    additionalProperties: false,
  },
};

const groundedReplySchema = z.object({ message: z.string(), covered: z.boolean() });

export type GroundedReply = z.output<typeof groundedReplySchema>;

/**
 * The most of an answer read: the longest channel's DRAFT_READ_FACTOR-times allowance and room for
 * JSON escapes. Anything longer is runaway output, refused like a draft that long would be.
 */
const GROUNDED_REPLY_READ_CHARS = 2 * DRAFT_READ_FACTOR * Math.max(...Object.values(MAX_MESSAGE_CHARS));

/** The model's answer as a reply and its verdict; null when it is not the object the schema asks for. */
export function parseGroundedReply(output: string): GroundedReply | null {
  if (output.length > GROUNDED_REPLY_READ_CHARS) return null;
  let value: unknown;
  try {
    value = JSON.parse(output);
  } catch {
    return null;
  }
  const parsed = groundedReplySchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}
