import { protectedProcedure, router } from "../../trpc.ts";
import { needsYouCountHandler } from "./count.handler.ts";
import { emailAlertHandler, setEmailAlertHandler } from "./email-alert.handler.ts";
import { setEmailAlertInput } from "./email-alert.schema.ts";

// The "Needs you" queue's own procedures (docs/decisions/0027); the list itself is leads.list({ needsYou: true }).
export const needsYouRouter = router({
  count: protectedProcedure.query(({ ctx }) => needsYouCountHandler({ ctx })),
  emailAlert: protectedProcedure.query(({ ctx }) => emailAlertHandler({ ctx })),
  setEmailAlert: protectedProcedure.input(setEmailAlertInput).mutation(({ ctx, input }) => setEmailAlertHandler({ ctx, input })),
});
