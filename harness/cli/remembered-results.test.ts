import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import type { Chapter, Exercise } from "../workbook/catalog.js";
import { rememberedResults, rememberResults, resultKeys } from "./remembered-results.js";

// A workbook in miniature: two chapters, a harness and a lockfile, in a throwaway folder.
let root = "";
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
  delete process.env["WORKBOOK_SEEDS"];
});

function workbook(): { exercises: Exercise[]; write: (path: string, text: string) => void } {
  root = mkdtempSync(join(tmpdir(), "workbook-results-"));
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  write("package-lock.json", "{}");
  write("harness/simulation.ts", "export const simulation = 1;");
  write("chapters/01-clocks/clock.ts", `import { shared } from "../../shared/util.js";`);
  write("chapters/01-clocks/clock.test.ts", `import { clock } from "./clock.js";`);
  write("chapters/02-consensus/raft.ts", "export const raft = 1;");
  write("shared/util.ts", "export const shared = 1;");
  const exercise = (folder: string, id: string): Exercise => ({
    number: id,
    id,
    title: id,
    chapter: { folder } as Chapter,
    files: [],
    test: `${id}.test.ts`,
    hints: [],
  });
  return { exercises: [exercise("01-clocks", "clock"), exercise("02-consensus", "raft")], write };
}

describe("remembering results for status", () => {
  test("a change in a chapter's folder changes the keys of that chapter's exercises alone", () => {
    const { exercises, write } = workbook();
    const before = resultKeys(exercises, root);
    write("chapters/01-clocks/clock.ts", "export const clock = 2;");
    const after = resultKeys(exercises, root);
    expect(after.get("clock"), "the edited chapter's exercise").not.toBe(before.get("clock"));
    expect(after.get("raft"), "the other chapter's exercise").toBe(before.get("raft"));
  });

  test("a change in the harness, the packages or the seed settings changes every key", () => {
    const { exercises, write } = workbook();
    const changes: Array<[string, () => void]> = [
      ["a harness file", () => write("harness/simulation.ts", "export const simulation = 2;")],
      ["package-lock.json", () => write("package-lock.json", `{"lockfileVersion": 3}`)],
      ["WORKBOOK_SEEDS", () => (process.env["WORKBOOK_SEEDS"] = "50")],
    ];
    for (const [what, change] of changes) {
      const before = resultKeys(exercises, root);
      change();
      const after = resultKeys(exercises, root);
      for (const id of ["clock", "raft"])
        expect(after.get(id), `${id} after a change to ${what}`).not.toBe(before.get(id));
    }
  });

  test("a file a chapter imports from outside its folder is part of its key", () => {
    const { exercises, write } = workbook();
    const before = resultKeys(exercises, root);
    write("shared/util.ts", "export const shared = 2;");
    expect(resultKeys(exercises, root).get("clock"), "after the imported file changed").not.toBe(
      before.get("clock"),
    );
  });

  test("a result is remembered under its key, and forgotten when the key changes", () => {
    const { exercises, write } = workbook();
    const results = join(root, ".workbook", "results.json");
    const keys = resultKeys(exercises, root);
    rememberResults(
      [{ exercise: exercises[0]!, passed: true, testsPassed: 7, testsTotal: 7 }],
      keys,
      results,
    );
    expect(rememberedResults(keys, results).get("clock"), "with the same files").toMatchObject({
      passed: true,
      testsPassed: 7,
      testsTotal: 7,
    });
    expect(rememberedResults(keys, results).has("raft"), "an exercise never run").toBe(false);
    write("chapters/01-clocks/clock.ts", "export const clock = 3;");
    expect(
      rememberedResults(resultKeys(exercises, root), results).has("clock"),
      "after the learner's file changed",
    ).toBe(false);
  });
});
