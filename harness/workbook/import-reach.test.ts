import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { exerciseFolders, toModuleId } from "./exercise-paths.js";
import { ImportReach } from "./import-reach.js";

/** A workbook of a few files, written to a temporary folder. */
const root = mkdtempSync(join(tmpdir(), "workbook-reach-"));
const files: Record<string, string> = {
  "chapters/07-demo/store.test.ts":
    'import { Store } from "./store.js";\nimport { checkHistory } from "./checks.js";\n',
  "chapters/07-demo/store.ts": 'import type { Entry } from "./types.js";\nexport class Store {}\n',
  "chapters/07-demo/checks.ts": 'import {\n  type Entry,\n} from "./types.js";\nexport {};\n',
  "chapters/07-demo/types.ts": "export type Entry = { key: string };\n",
  "chapters/07-demo/cluster.ts":
    'export { Store } from "./store.js";\nconst later = () => import("./checks.js");\n',
  "chapters/07-demo/cycle-a.ts": 'import "./cycle-b.js";\n',
  "chapters/07-demo/cycle-b.ts": 'import "./cycle-a.js";\nimport "./store.js";\n',
  "solutions/07-demo/store.ts": 'import { clamp } from "./helpers.js";\nexport class Store {}\n',
  "solutions/07-demo/helpers.ts": "export const clamp = (x: number) => x;\n",
};
for (const [path, text] of Object.entries(files)) {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}
const id = (path: string) => toModuleId(join(root, path));
const reach = new ImportReach(exerciseFolders(root));

describe("which exercise modules reach a file through their imports", () => {
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  test("a test file reaches the solution of the exercise it imports, through the twin", () => {
    expect(
      reach.reaches(id("chapters/07-demo/store.test.ts"), id("solutions/07-demo/store.ts")),
      "the test reaches solutions/…/store.ts",
    ).toBe(true);
    expect(
      reach.reaches(id("chapters/07-demo/store.test.ts"), id("solutions/07-demo/helpers.ts")),
      "and what the solution imports, which the learner's stub does not",
    ).toBe(true);
  });

  test("a module that imports only types and checkers does not reach the solution", () => {
    expect(
      reach.reaches(id("chapters/07-demo/checks.ts"), id("solutions/07-demo/store.ts")),
      "checks.ts imports types.ts only",
    ).toBe(false);
    expect(
      reach.reaches(id("chapters/07-demo/types.ts"), id("solutions/07-demo/store.ts")),
      "types.ts imports nothing",
    ).toBe(false);
  });

  test("re-exports, dynamic imports, multi-line and side-effect imports all count", () => {
    expect(
      reach.importsOf(id("chapters/07-demo/cluster.ts")),
      "what cluster.ts imports, sent to the solution's twin where there is one",
    ).toEqual([id("solutions/07-demo/store.ts"), id("chapters/07-demo/checks.ts")]);
    expect(
      reach.importsOf(id("chapters/07-demo/checks.ts")),
      "a multi-line import of a type",
    ).toEqual([id("chapters/07-demo/types.ts")]);
  });

  test("a cycle of imports is walked once, and still reaches what either side imports", () => {
    expect(
      reach.reaches(id("chapters/07-demo/cycle-a.ts"), id("solutions/07-demo/store.ts")),
      "cycle-a reaches store.ts through cycle-b",
    ).toBe(true);
    expect(
      reach.reaches(id("chapters/07-demo/cycle-a.ts"), id("solutions/07-demo/missing.ts")),
      "and stops on a file nothing imports",
    ).toBe(false);
  });

  test("a file reaches itself, whatever query its id carries", () => {
    expect(
      reach.reaches(
        `${id("solutions/07-demo/store.ts")}?mutant=07-demo/x`,
        id("solutions/07-demo/store.ts"),
      ),
      "the mutated file itself",
    ).toBe(true);
  });
});
