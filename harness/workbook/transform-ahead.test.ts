import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path, { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { transformAhead, urlOf } from "./vitest-plugins.js";

const root = "/work/book";
const noCache = join(tmpdir(), "workbook-no-such-cache");
const cache = mkdtempSync(join(tmpdir(), "workbook-cache-"));

/**
 * The plugin's transform hook, called as vite would after TypeScript is stripped, with a
 * resolver that puts each relative import beside its importer; returns the URLs it sent to be
 * transformed.
 */
async function ahead(cacheFolder: string, code: string, id = `${root}/chapters/07-demo/store.ts`) {
  const requested: string[] = [];
  const context = {
    environment: {
      config: { root },
      transformRequest: async (url: string) => void requested.push(url),
    },
    resolve: async (source: string, importer: string) =>
      source.includes("missing")
        ? null
        : {
            id: join(importer, "..", source).replace(/\.js$/, ".ts"),
            external: source.includes("external"),
          },
  };
  const plugin = transformAhead(cacheFolder);
  const result = (plugin.transform as (this: unknown, code: string, id: string) => unknown).call(
    context,
    code,
    id,
  );
  // The hook returns at once; what it sends goes out as the resolver answers.
  await new Promise((resolve) => setTimeout(resolve, 0));
  return { result, requested };
}

const module = [
  'import { Entry } from "./entry.js";',
  "import {",
  "  check,",
  "  history,",
  '} from "../../harness/checkers/history.js";',
  'import "./side-effect.js";',
  'export { Ring } from "./ring.js";',
  'import { expect } from "vitest";',
  'import { gone } from "./missing.js";',
  'import { far } from "./external.js";',
  'const later = () => import("./later.js");',
  "export class Store {}",
].join("\n");

describe("transforming a module's imports before the worker asks for them", () => {
  afterAll(() => rmSync(cache, { recursive: true, force: true }));

  test("with no module cache, each relative import that resolves is sent, by its URL", async () => {
    const { result, requested } = await ahead(noCache, module);
    expect(result, "the module itself is left as it is").toBe(null);
    expect(requested.sort(), "the URLs sent").toEqual(
      [
        "/chapters/07-demo/entry.ts",
        "/harness/checkers/history.ts",
        "/chapters/07-demo/side-effect.ts",
        "/chapters/07-demo/ring.ts",
      ].sort(),
    );
  });

  test("with a module cache, nothing is sent: the imports of a changed file are cached", async () => {
    const { requested } = await ahead(cache, module);
    expect(requested, "the URLs sent").toEqual([]);
  });

  test("nothing is sent for an installed package's module", async () => {
    const { requested } = await ahead(noCache, module, `${root}/node_modules/pkg/index.js`);
    expect(requested, "the URLs sent").toEqual([]);
  });
});

describe("the URL vite files a module under", () => {
  test("a file under the root is its path from the root; one outside, /@fs/ and its path", () => {
    expect(urlOf("/work/book/harness/index.ts", "/work/book"), "under the root").toBe(
      "/harness/index.ts",
    );
    expect(urlOf("/work/booklet/x.ts", "/work/book"), "a sibling folder with the same start").toBe(
      "/@fs/work/booklet/x.ts",
    );
    expect(
      urlOf("c:\\book\\harness\\index.ts", "C:\\book", path.win32),
      "on Windows, where vite writes the drive in capitals",
    ).toBe("/harness/index.ts");
    expect(urlOf("D:\\elsewhere\\x.ts", "C:\\book", path.win32), "on another drive").toBe(
      "/@fs/D:/elsewhere/x.ts",
    );
    expect(
      urlOf("/work/book/chapters/x.ts?mutant=01-clocks/a", "/work/book"),
      "with a mutant's mark",
    ).toBe("/chapters/x.ts?mutant=01-clocks/a");
  });
});
