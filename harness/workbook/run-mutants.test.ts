import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { repositoryRoot } from "./catalog.js";
import { exerciseFolders } from "./exercise-paths.js";
import { mutant } from "./mutant.js";
import { mutantFileId, runMutants, withMutant, type MutantRun } from "./vitest-plugins.js";

// The plugin's load hook, called as Vite would: the mutants project's whole trick is which
// code it serves for which id.
const folders = exerciseFolders(repositoryRoot);
const run: MutantRun = {
  name: "01-clocks/receive-without-max",
  chapterFolder: "01-clocks",
  file: "solutions/01-clocks/mutants/receive-without-max.ts",
  testFile: join(repositoryRoot, "chapters", "01-clocks", "lamport-clock.test.ts"),
  mutant: mutant({
    mistake: "receive ignores the timestamp",
    file: "lamport-clock.ts",
    changes: [{ find: "Math.max(this.#time, timestamp) + 1", replace: "this.#time + 1" }],
    caughtBy: { exercise: "lamport-clock", test: "a receive moves the clock past the timestamp" },
  }),
};
const plugin = runMutants([run]);
const load = (id: string) =>
  (plugin.load as (this: unknown, id: string) => string | null).call({}, id);
const solution = `${folders.solutions}01-clocks/lamport-clock.ts`;

describe("serving mutants", () => {
  test("a module marked with a mutant is cached under a key that holds the mutant's own file", () => {
    let generator: ((context: { id: string }) => string | false | undefined) | undefined;
    const configure = plugin.configureVitest as (context: unknown) => void;
    configure({
      experimental_defineCacheKeyGenerator: (callback: typeof generator) => (generator = callback),
    });
    expect(generator, "a cache key generator").toBeDefined();
    expect(generator!({ id: withMutant(solution, run.name) }), "the key of a mutated module").toBe(
      readFileSync(join(repositoryRoot, run.file), "utf8"),
    );
    expect(generator!({ id: solution }), "the key of the solution itself").toBe("");
  });

  test("the solution file a mutant names is served with the mistake put back", () => {
    const served = load(withMutant(solution, run.name));
    expect(served, "the mutated solution").toContain("this.#time + 1");
    expect(served, "without the correct receive").not.toContain(
      "Math.max(this.#time, timestamp) + 1",
    );
    expect(readFileSync(solution, "utf8"), "the solution on disk").toContain(
      "Math.max(this.#time, timestamp) + 1",
    );
  });

  test("the same file without the mark is left to Vite, so other projects see the solution", () => {
    expect(load(solution), "an unmarked solution").toBe(null);
  });

  test("other files with the mark are served as they are on disk", () => {
    const helper = `${folders.solutions}01-clocks/vector-clock.ts`;
    expect(load(withMutant(helper, run.name)), "another solution file").toBe(
      readFileSync(helper, "utf8"),
    );
  });

  test("a mutant's own file runs as the check of that mutant", () => {
    const served = load(mutantFileId(folders, run.name));
    expect(served, "the check module").toContain(`checkMutant("01-clocks/receive-without-max"`);
    expect(served, "importing the tests marked with the mutant").toContain(
      "lamport-clock.test.ts?mutant=01-clocks/receive-without-max",
    );
  });

  test("a mutant whose text no longer matches fails loudly, naming itself", () => {
    const stale = runMutants([
      {
        ...run,
        mutant: { ...run.mutant, changes: [{ find: "no such text", replace: "x" }] },
      },
    ]);
    expect(
      () =>
        (stale.load as (this: unknown, id: string) => string | null).call(
          {},
          withMutant(solution, run.name),
        ),
      "serving a stale mutant",
    ).toThrow(/Mutant 01-clocks\/receive-without-max no longer applies to lamport-clock\.ts/);
  });
});
