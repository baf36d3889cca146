import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig } from "vite";

declare module "@remix-run/node" {
  // Types loaders' data as single fetch serializes it (Dates stay Dates).
  interface Future {
    v3_singleFetch: true;
  }
}

// Workspace packages stay out of the server bundle: Node loads their TypeScript source in place
// (type stripping), so their own dependencies (pg, Prisma, superjson) resolve where they are
// installed instead of being inlined or mirrored in this app's package.json. Rollup's `external`
// is used because Vite's ssr.external never externalizes linked packages that ship .ts files.
const workspacePackage = /^@audnix\//;

export default defineConfig(({ isSsrBuild }) => ({
  server: { port: Number(process.env.PORT) || 3000, strictPort: true },
  build: isSsrBuild ? { rollupOptions: { external: workspacePackage } } : {},
  plugins: [
    remix({
      future: {
        v3_fetcherPersist: true,
        v3_relativeSplatPath: true,
        v3_throwAbortReason: true,
        v3_singleFetch: true,
        v3_lazyRouteDiscovery: true,
      },
    }),
  ],
}));
