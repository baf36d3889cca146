import { leadsRouter } from "./routers/leads/router.ts";
import { viewerRouter } from "./routers/viewer/router.ts";
import { router } from "./trpc.ts";

export const appRouter = router({
  viewer: viewerRouter,
  leads: leadsRouter,
});

export type AppRouter = typeof appRouter;
