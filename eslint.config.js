// Lint enforces the dependency rules of docs/architecture.md: core is pure, and only each app's
// env module (plus tooling scripts and configs) reads process.env.
import tseslint from "typescript-eslint";

const processEnvBan = {
  selector: "MemberExpression[object.name='process'][property.name='env']",
  message: "Read configuration through the app's env module (apps/*/…/env(.server).ts), not process.env.",
};

export default tseslint.config(
  { ignores: ["**/node_modules/**", "**/build/**", "**/dist/**", "**/generated/**", "**/.cache/**"] },
  ...tseslint.configs.recommended,
  {
    rules: {
      "no-restricted-syntax": ["error", processEnvBan],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
    },
  },
  {
    // Composition roots and tooling may read the environment.
    files: [
      "apps/web/app/env.server.ts",
      "apps/jobs/src/env.ts",
      "**/scripts/**",
      "**/*.config.ts",
      "**/test/**",
      "**/testing/**",
      "**/*.test.ts",
    ],
    rules: { "no-restricted-syntax": "off" },
  },
  {
    files: ["packages/core/src/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              // libphonenumber-js: pure functions over bundled metadata, no I/O (docs/decisions/0022).
              regex: "^(?!zod$|zod/|node:|libphonenumber-js$)[^./]",
              message: "packages/core stays pure: it may import zod, libphonenumber-js and node built-ins only.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["packages/db/src/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ regex: "^@audnix/(api|integrations)", message: "db depends on core only." }] },
      ],
    },
  },
  {
    files: ["packages/integrations/src/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ regex: "^@audnix/(api|db)", message: "integrations depend on core (and vendor SDKs) only." }] },
      ],
    },
  },
  {
    files: ["packages/api/src/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: "^(@audnix/integrations|openai|stripe)",
              message: "api gets vendor services through its context, never by import.",
            },
          ],
        },
      ],
    },
  },
);
