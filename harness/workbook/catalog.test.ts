import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { allExercises, exerciseForTestFile, loadCatalog, repositoryRoot } from "./catalog.js";

/** A throwaway repository with two chapters, to pin down how manifests and notes are read. */
function fixtureRoot(): string {
  const root = mkdtempSync(join(tmpdir(), "workbook-catalog-"));
  const chapter = (folder: string, exercises: object[], notes?: string) => {
    mkdirSync(join(root, "chapters", folder), { recursive: true });
    writeFileSync(join(root, "chapters", folder, "chapter.json"), JSON.stringify({ exercises }));
    if (notes !== undefined) writeFileSync(join(root, "chapters", folder, "README.md"), notes);
  };
  chapter(
    "02-beta",
    [{ id: "b-one", title: "Beta one", files: ["b.ts"], test: "b.test.ts" }],
    undefined,
  );
  chapter(
    "01-alpha",
    [
      { id: "a-one", title: "Alpha one", files: ["a.ts"], test: "a-one.test.ts", scenario: "x" },
      { id: "a-two", title: "Alpha two", files: ["a.ts", "b.ts"], test: "a-two.test.ts" },
    ],
    "\n# Alpha: the first chapter\n\n_Why alpha comes first_\n\nBody.\n",
  );
  mkdirSync(join(root, "chapters", "shared"));
  writeFileSync(join(root, "chapters", "README.md"), "not a chapter");
  return root;
}

const fixture = fixtureRoot();
afterAll(() => rmSync(fixture, { recursive: true, force: true }));

describe("catalog", () => {
  test("chapters come in folder order, numbered from their folder, exercises numbered in order", () => {
    const catalog = loadCatalog(fixture);
    expect(
      catalog.map((chapter) => `${chapter.number} ${chapter.folder}`),
      "the chapters found, ignoring folders without a number",
    ).toEqual(["1 01-alpha", "2 02-beta"]);
    expect(
      allExercises(catalog).map((exercise) => `${exercise.number} ${exercise.id}`),
      "every exercise with its number",
    ).toEqual(["1.1 a-one", "1.2 a-two", "2.1 b-one"]);
    const [first] = allExercises(catalog);
    expect(first?.chapter, "an exercise links back to its chapter").toBe(catalog[0]);
    expect(first?.scenario, "the scenario test from the manifest").toBe("x");
  });

  test("a chapter's title and subtitle come from the opening lines of its notes", () => {
    const [alpha, beta] = loadCatalog(fixture);
    expect(alpha?.title, "the title from '# …'").toBe("Alpha: the first chapter");
    expect(alpha?.subtitle, "the subtitle from '_…_'").toBe("Why alpha comes first");
    expect(beta?.title, "the title of a chapter without notes").toBe("(notes missing)");
  });

  test("a chapter folder without chapter.json is an error naming the folder", () => {
    const root = fixtureRoot();
    try {
      mkdirSync(join(root, "chapters", "03-gamma"));
      expect(() => loadCatalog(root), "loading a chapter without a manifest").toThrow(
        /Chapter 03-gamma has no chapter\.json/,
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test("an exercise's hints and measure module come from its manifest, and hints default to none", () => {
    const root = fixtureRoot();
    try {
      const gamma = join(root, "chapters", "03-gamma");
      mkdirSync(gamma);
      const manifest = (exercise: object) =>
        writeFileSync(
          join(gamma, "chapter.json"),
          JSON.stringify({
            exercises: [
              { id: "g", title: "Gamma", files: ["g.ts"], test: "g.test.ts", ...exercise },
            ],
          }),
        );
      manifest({ hints: ["a nudge", "the rule", "the classic mistake"], measure: "g.measure.ts" });
      const gammaExercise = loadCatalog(root)[2]!.exercises[0]!;
      expect(gammaExercise.hints, "the hints, in order").toEqual([
        "a nudge",
        "the rule",
        "the classic mistake",
      ]);
      expect(gammaExercise.measure, "the measurement module").toBe("g.measure.ts");
      expect(loadCatalog(fixture)[0]!.exercises[0]!.hints, "an exercise without hints").toEqual([]);
      manifest({ hints: "just one string" });
      expect(() => loadCatalog(root), "hints that are not a list").toThrow(
        /chapters\/03-gamma\/chapter\.json, exercise "g": expected "hints" to be a list of non-empty strings/,
      );
      manifest({ hints: ["a nudge", ""] });
      expect(() => loadCatalog(root), "an empty hint").toThrow(/non-empty strings/);
      manifest({ measure: "g.ts" });
      expect(() => loadCatalog(root), "a measure that is not a .measure.ts module").toThrow(
        /expected "measure" to name a <file>\.measure\.ts module, got "g\.ts"/,
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test("the real workbook's chapter 1 is Clocks, with exercises 1.1, 1.2, … and its README's title", () => {
    const catalog = loadCatalog();
    const clocks = catalog[0]!;
    expect(clocks.folder, "the first chapter's folder").toBe("01-clocks");
    const heading = /^# (.+)$/m.exec(
      readFileSync(join(repositoryRoot, "chapters", "01-clocks", "README.md"), "utf8"),
    )?.[1];
    expect(clocks.title, "chapter 1's title, as its README's first heading").toBe(heading);
    expect(
      clocks.exercises.map((exercise) => exercise.number),
      "chapter 1's exercise numbers",
    ).toEqual(clocks.exercises.map((_, index) => `1.${index + 1}`));
    expect(
      { id: clocks.exercises[0]?.id, title: clocks.exercises[0]?.title },
      "exercise 1.1",
    ).toEqual({ id: "lamport-clock", title: "Lamport clock" });
    const ids = allExercises(catalog).map((exercise) => exercise.id);
    expect(new Set(ids).size, "exercise ids are unique across the workbook").toBe(ids.length);
  });

  test("exerciseForTestFile maps a test file's path, relative or absolute, to its exercise", () => {
    const catalog = loadCatalog();
    const relativePath = "chapters/01-clocks/lamport-clock.test.ts";
    expect(exerciseForTestFile(catalog, relativePath)?.number, "a relative path").toBe("1.1");
    expect(
      exerciseForTestFile(catalog, join(repositoryRoot, relativePath))?.id,
      "an absolute path",
    ).toBe("lamport-clock");
    expect(
      exerciseForTestFile(catalog, "harness/workbook/catalog.test.ts"),
      "a test that belongs to no exercise",
    ).toBeUndefined();
    expect(
      exerciseForTestFile(catalog, "chapters/01-clocks/lamport-clock.ts"),
      "the exercise's own file, not its test",
    ).toBeUndefined();
    const fixtureCatalog = loadCatalog(fixture);
    expect(
      exerciseForTestFile(fixtureCatalog, "chapters/01-alpha/a-two.test.ts", fixture)?.number,
      "a test in another root",
    ).toBe("1.2");
  });
});
