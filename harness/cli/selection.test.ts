import { describe, expect, test } from "vitest";
import { loadCatalog } from "../workbook/catalog.js";
import { listing, select, testFileOf, UsageError } from "./selection.js";

const catalog = loadCatalog();

describe("choosing what a command runs", () => {
  test("no name means every exercise of every chapter", () => {
    const selection = select(catalog, undefined);
    expect(selection.kind, "kind").toBe("all");
    expect(selection.exercises.length, "exercises").toBe(
      catalog.flatMap((chapter) => chapter.exercises).length,
    );
  });

  test.for(["1", "01", "01-clocks", "clocks", "chapters/01-clocks/"])(
    "%s names chapter 1",
    (name) => {
      const selection = select(catalog, name);
      expect(
        selection.kind === "chapter" && selection.chapter.folder,
        `what "${name}" selects`,
      ).toBe("01-clocks");
    },
  );

  test.for(["1.2", "vector-clock", "01-clocks/vector-clock", "VECTOR-CLOCK"])(
    "%s names exercise 1.2",
    (name) => {
      const selection = select(catalog, name);
      expect(
        selection.kind === "exercise" && selection.exercise.number,
        `what "${name}" selects`,
      ).toBe("1.2");
    },
  );

  test("an unknown name is an error that lists every valid chapter and exercise", () => {
    expect(() => select(catalog, "9.9"), "selecting 9.9").toThrow(UsageError);
    const valid = listing(catalog);
    for (const exercise of catalog.flatMap((chapter) => chapter.exercises)) {
      expect(valid, `the listing names ${exercise.number}`).toContain(exercise.id);
    }
  });

  test("an exercise's test file is found under chapters/", () => {
    const selection = select(catalog, "1.1");
    expect(
      selection.kind === "exercise" && testFileOf(selection.exercise),
      "the test file of 1.1",
    ).toBe("chapters/01-clocks/lamport-clock.test.ts");
  });
});
