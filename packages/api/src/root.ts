import { analyticsRouter } from "./routers/analytics/router.ts";
import { billingRouter } from "./routers/billing/router.ts";
import { connectionsRouter } from "./routers/connections/router.ts";
import { brandSettingsRouter } from "./routers/brand-settings/router.ts";
import { followUpsRouter } from "./routers/follow-ups/router.ts";
import { knowledgeRouter } from "./routers/knowledge/router.ts";
import { leadFactsRouter } from "./routers/lead-facts/router.ts";
import { leadsRouter } from "./routers/leads/router.ts";
import { needsYouRouter } from "./routers/needs-you/router.ts";
import { sandboxRouter } from "./routers/sandbox/router.ts";
import { summariesRouter } from "./routers/summaries/router.ts";
import { viewerRouter } from "./routers/viewer/router.ts";
import { router } from "./trpc.ts";

export const appRouter = router({
  viewer: viewerRouter,
  leads: leadsRouter,
  sandbox: sandboxRouter,
  billing: billingRouter,
  followUps: followUpsRouter,
  brandSettings: brandSettingsRouter,
  connections: connectionsRouter,
  knowledge: knowledgeRouter,
  leadFacts: leadFactsRouter,
  analytics: analyticsRouter,
  needsYou: needsYouRouter,
  summaries: summariesRouter,
});

export type AppRouter = typeof appRouter;
