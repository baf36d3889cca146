import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { JOBS_ENV_VARIABLES } from "../../../jobs/src/env.ts";
import { WEB_ENV_VARIABLES } from "../../app/env.server.ts";

const example = readFileSync(path.resolve(import.meta.dirname, "../../../../.env.example"), "utf8");
const documented = new Set([...example.matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map(([, name]) => name));

describe(".env.example", () => {
  it("lists every variable the web app and the worker read", () => {
    const missing = [...WEB_ENV_VARIABLES, ...JOBS_ENV_VARIABLES].filter((name) => !documented.has(name));
    expect(missing).toEqual([]);
  });

  it("explains each variable with a comment right above it", () => {
    const lines = example.split("\n");
    const undocumented = lines
      .map((line, index) => ({ line, above: lines[index - 1] ?? "" }))
      .filter(({ line, above }) => /^[A-Z][A-Z0-9_]*=/.test(line) && !above.startsWith("#") && !/^[A-Z][A-Z0-9_]*=/.test(above))
      .map(({ line }) => line.split("=")[0]);
    expect(undocumented).toEqual([]);
  });
});
