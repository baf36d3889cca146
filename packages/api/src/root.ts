import { billingRouter } from "./routers/billing/router.ts";
import { leadsRouter } from "./routers/leads/router.ts";
import { sandboxRouter } from "./routers/sandbox/router.ts";
import { viewerRouter } from "./routers/viewer/router.ts";
import { router } from "./trpc.ts";

export const appRouter = router({
  viewer: viewerRouter,
  leads: leadsRouter,
  sandbox: sandboxRouter,
  billing: billingRouter,
});

export type AppRouter = typeof appRouter;
