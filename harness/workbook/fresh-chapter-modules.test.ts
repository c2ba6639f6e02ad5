import { describe, expect, test } from "vitest";
import { repositoryRoot } from "./catalog.js";
import { exerciseFolders } from "./exercise-paths.js";
import { forgetChapterModules, type EvaluatedModules } from "./fresh-chapter-modules.js";

const folders = exerciseFolders(repositoryRoot);

/** A worker's module record, as Vite's EvaluatedModules keeps it, that remembers what it forgot. */
function record(ids: string[]): EvaluatedModules & { forgotten: string[] } {
  const forgotten: string[] = [];
  return {
    idToModuleMap: new Map(ids.map((id) => [id, { id }])),
    invalidateModule: (node) => forgotten.push((node as { id: string }).id),
    forgotten,
  };
}

describe("fresh chapter modules for every test file", () => {
  test("the learner's modules are forgotten before the next file, and the harness is kept", () => {
    const learner = `${folders.chapters}01-clocks/lamport-clock.ts`;
    const test = `${folders.chapters}01-clocks/lamport-clock.test.ts`;
    const harness = `${repositoryRoot}/harness/simulation/simulation.ts`.replaceAll("\\", "/");
    const solution = `${folders.solutions}01-clocks/lamport-clock.ts`;
    const modules = record([learner, harness, test, solution, "node:fs"]);
    expect(forgetChapterModules(modules), "how many were forgotten").toBe(2);
    expect(modules.forgotten, "the modules forgotten").toEqual([learner, test]);
  });

  test("a vitest that keeps its module record elsewhere is named, not silently shared", () => {
    expect(() => forgetChapterModules({} as EvaluatedModules), "with no record").toThrow(
      /could not find vitest's record of evaluated modules/,
    );
  });

  test("inside this worker, vitest's own record is found", () => {
    // This test's project is the harness's: forgetting chapters/ modules here changes nothing.
    expect(() => forgetChapterModules(), "with vitest's record").not.toThrow();
  });
});
