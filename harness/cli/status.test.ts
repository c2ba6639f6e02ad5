import { describe, expect, test } from "vitest";
import { loadCatalog } from "../workbook/catalog.js";
import type { ExerciseProgress } from "./progress.js";
import { select } from "./selection.js";
import { renderStatus } from "./status.js";

const catalog = loadCatalog();

/** Progress for a selection, with the exercises numbered in `passing` passing. */
function progressOf(selector: string | undefined, passing: string[]): ExerciseProgress[] {
  return select(catalog, selector).exercises.map((exercise) => {
    const passed = passing.includes(exercise.number);
    return { exercise, testsPassed: passed ? 3 : 0, testsTotal: 3, passed };
  });
}

describe("status, for the whole workbook or one chapter or exercise", () => {
  test("the whole workbook lists every chapter and points at the first exercise that fails", () => {
    const text = renderStatus(
      catalog,
      progressOf(undefined, ["1.1"]),
      false,
      0,
      select(catalog, undefined),
    );
    for (const chapter of catalog)
      expect(text, `chapter ${chapter.number}'s heading`).toContain(`Chapter ${chapter.number} · `);
    expect(text, "the count").toMatch(/ 1 of \d+ exercises pass/);
    expect(text, "what is next").toContain("Next: 1.2 ");
  });

  test("a chapter shows only its own exercises, counted alone", () => {
    const chapter = catalog[2]!;
    const selection = select(catalog, String(chapter.number));
    const text = renderStatus(catalog, progressOf(String(chapter.number), []), false, 0, selection);
    expect(text, "the title names the chapter").toContain(
      `Distributed Systems Workbook: chapter ${chapter.number}, `,
    );
    expect(text, "its heading").toContain(`Chapter ${chapter.number} · ${chapter.title}`);
    expect(text, "no other chapter's heading").not.toMatch(
      new RegExp(`Chapter (?!${chapter.number} )\\d+ · `),
    );
    expect(text, "the count of its exercises").toContain(
      ` 0 of ${chapter.exercises.length} exercises pass`,
    );
    expect(text, "what is next, inside the chapter").toContain(
      `Next: ${chapter.exercises[0]!.number} `,
    );
  });

  test("one exercise that passes says so, and where the rest of the workbook is", () => {
    const selection = select(catalog, "1.2");
    const text = renderStatus(catalog, progressOf("1.2", ["1.2"]), false, 1, selection);
    expect(text, "the count, in the singular").toContain(" 1 of 1 exercise passes");
    expect(text, "the verdict").toContain("It passes. npm start shows the whole workbook.");
    expect(text, "no next exercise").not.toContain("Next:");
    expect(text, "the remembered result, in the singular").toContain(
      "1 exercise had not changed since its last run, so its result was remembered",
    );
  });
});
