import { FAQ_ANSWER_MAX_CHARS, FAQ_QUESTION_MAX_CHARS } from "@audnix/core";
import { z } from "zod";

export const addFaqInput = z.object({
  question: z
    .string()
    .trim()
    .min(1, { error: "Write the question." })
    .max(FAQ_QUESTION_MAX_CHARS, { error: `Keep the question under ${FAQ_QUESTION_MAX_CHARS} characters.` }),
  answer: z
    .string()
    .trim()
    .min(1, { error: "Write the answer." })
    .max(FAQ_ANSWER_MAX_CHARS, { error: `Keep the answer under ${FAQ_ANSWER_MAX_CHARS.toLocaleString("en")} characters.` }),
});

export type AddFaqInput = z.output<typeof addFaqInput>;
