import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import type { Plugin } from "vitest/config";
import { repositoryRoot } from "./catalog.js";
import { importedSources, sourcesKey, workbookConfig } from "./vitest-config.js";

const root = mkdtempSync(join(tmpdir(), "workbook-config-"));
const write = (file: string, text: string) => writeFileSync(join(root, file), text);
write("config.ts", 'import { guard } from "./plugin.js";\nexport default guard;\n');
write("plugin.ts", 'import type { Shape } from "./shape.js";\nexport * from "./config.js";\n');
write("shape.ts", "export type Shape = { sides: number };\n");
write("unrelated.ts", "export const nothing = 0;\n");
const sources = () => importedSources(join(root, "config.ts"));

describe("the key the workbook's config adds to vitest's module cache", () => {
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  test("it covers the config and every module the config reaches, each once", () => {
    expect(sources(), "the config, its plugin and the plugin's types, past the cycle").toEqual(
      ["config.ts", "plugin.ts", "shape.ts"].map((file) => join(root, file)),
    );
  });

  test("it changes when a module the config reaches changes, and not for any other file", () => {
    const before = sourcesKey(sources());
    write("unrelated.ts", "export const nothing = 1;\n");
    expect(sourcesKey(sources()), "a file the config never imports").toBe(before);
    write("shape.ts", "export type Shape = { sides: number; name: string };\n");
    expect(sourcesKey(sources()), "a file two imports away").not.toBe(before);
  });

  test("the workbook's config reaches the plugins that change what a module becomes", () => {
    const reached = importedSources(join(repositoryRoot, "harness/workbook/vitest-config.ts"));
    for (const file of ["vitest-plugins.ts", "loop-guard-transform.ts", "mutant.ts"])
      expect(reached, file).toContain(join(repositoryRoot, "harness/workbook", file));
  });

  test("every project adds the key, and all of them through one function", async () => {
    const config = await workbookConfig();
    const projects = config.test?.projects ?? [];
    const generators = new Set<unknown>();
    for (const project of projects) {
      const plugins = (
        typeof project === "object" && "plugins" in project ? project.plugins : []
      ) as Plugin[];
      const keyPlugin = plugins.find((plugin) => plugin.name === "workbook:config-key");
      expect(keyPlugin, `project ${JSON.stringify(project).slice(0, 80)}`).toBeDefined();
      const configure = keyPlugin!.configureVitest as (context: unknown) => void;
      configure({
        experimental_defineCacheKeyGenerator: (generator: () => string) => {
          generators.add(generator);
          expect(generator(), "the key is a hash").toMatch(/^[0-9a-f]{40}$/);
        },
      });
    }
    expect(projects.length, "harness, chapters and solutions").toBeGreaterThanOrEqual(3);
    expect(generators.size, "one generator, so every run's key is the same").toBe(1);
  });

  test("modules are transformed ahead in every project but the mutants'", async () => {
    const previous = process.env["WORKBOOK_MUTANTS"];
    process.env["WORKBOOK_MUTANTS"] = "1";
    try {
      const config = await workbookConfig();
      const ahead = new Map<string, boolean>();
      for (const project of config.test?.projects ?? []) {
        if (typeof project !== "object" || !("test" in project)) continue;
        const plugins = (project.plugins ?? []) as Plugin[];
        ahead.set(
          String(project.test?.name ?? "?"),
          plugins.some((plugin) => plugin.name === "workbook:transform-ahead"),
        );
      }
      expect(Object.fromEntries(ahead), "which projects transform ahead").toEqual({
        harness: true,
        chapters: true,
        solutions: true,
        mutants: false,
      });
    } finally {
      if (previous === undefined) delete process.env["WORKBOOK_MUTANTS"];
      else process.env["WORKBOOK_MUTANTS"] = previous;
    }
  });
});
