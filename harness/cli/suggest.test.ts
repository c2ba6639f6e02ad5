import { describe, expect, test } from "vitest";
import { loadCatalog } from "../workbook/catalog.js";
import { select, UsageError } from "./selection.js";
import { closest, editDistance } from "./suggest.js";

const commands = [
  "status",
  "test",
  "hint",
  "trace",
  "compare",
  "reset",
  "mutants",
  "mutant",
  "list",
];

describe("did you mean", () => {
  test.for([
    ["lst", "list"],
    ["lsit", "list"],
    ["tets", "test"],
    ["stauts", "status"],
    ["comapre", "compare"],
    ["mutnats", "mutants"],
    ["HINT", "hint"],
  ])("%s suggests %s", ([typed, meant]) => {
    expect(closest(typed!, commands), `the suggestion for "${typed}"`).toBe(meant);
  });

  test("a word far from every candidate suggests nothing", () => {
    expect(closest("deploy", commands), "the suggestion for a word that is no typo").toBe(
      undefined,
    );
    expect(closest("x", commands), "a single letter").toBe(undefined);
  });

  test("a swap of two neighbouring letters is one edit", () => {
    expect(editDistance("lsit", "list"), "lsit → list").toBe(1);
    expect(editDistance("kitten", "sitting"), "the textbook example").toBe(3);
    expect(editDistance("", "abc"), "from nothing").toBe(3);
  });

  test("a misspelt exercise name suggests the exercise", () => {
    const catalog = loadCatalog();
    expect(() => select(catalog, "raft-elektion"), "selecting raft-elektion").toThrow(
      /There is no chapter or exercise called "raft-elektion"\. Did you mean "raft-election"\?/,
    );
    expect(() => select(catalog, "vectorclock"), "selecting vectorclock").toThrow(
      /Did you mean "vector-clock"\?/,
    );
    expect(() => select(catalog, "consensos"), "a misspelt chapter").toThrow(
      /Did you mean "consensus"\?/,
    );
    expect(() => select(catalog, "elephant"), "a name like nothing").toThrow(UsageError);
    expect(() => select(catalog, "elephant"), "a name like nothing").not.toThrow(/Did you mean/);
  });
});
