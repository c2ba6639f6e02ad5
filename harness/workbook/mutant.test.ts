import { describe, expect, test } from "vitest";
import { applyMutant, mutant, type Mutant } from "./mutant.js";

const source = [
  "export function receive(time, timestamp) {",
  "  return Math.max(time, timestamp) + 1;",
  "}",
  "export function tick(time) {",
  "  return time + 1;",
  "}",
].join("\n");

function mistake(changes: Mutant["changes"]): Mutant {
  return mutant({
    mistake: "a test mistake",
    file: "clock.ts",
    changes,
    caughtBy: { exercise: "lamport-clock", test: "a test" },
  });
}

describe("applyMutant", () => {
  test("replaces exactly the one occurrence of each change, in order", () => {
    const result = applyMutant(
      source,
      mistake([
        { find: "Math.max(time, timestamp) + 1", replace: "time + 1" },
        {
          find: "export function tick(time) {\n  return time + 1;",
          replace: "export function tick(time) {\n  return time;",
        },
      ]),
      "01-clocks/two-changes",
    );
    expect(result, "the mutated source").toBe(
      [
        "export function receive(time, timestamp) {",
        "  return time + 1;",
        "}",
        "export function tick(time) {",
        "  return time;",
        "}",
      ].join("\n"),
    );
  });

  test("a change whose text is missing is an error naming the mutant and the file", () => {
    expect(
      () => applyMutant(source, mistake([{ find: "Math.min", replace: "x" }]), "01-clocks/gone"),
      "applying a change that no longer matches",
    ).toThrow(
      /Mutant 01-clocks\/gone no longer applies to clock\.ts: the text to replace was not found:\nMath\.min/,
    );
  });

  test("a change whose text occurs more than once is an error", () => {
    expect(
      () => applyMutant(source, mistake([{ find: "return", replace: "yield" }]), "01-clocks/vague"),
      "applying an ambiguous change",
    ).toThrow(/found more than once/);
  });

  test("a later change sees the text as the earlier changes left it", () => {
    // After the first change "time + 1" occurs twice, so the second change is ambiguous.
    expect(
      () =>
        applyMutant(
          source,
          mistake([
            { find: "Math.max(time, timestamp) + 1", replace: "time + 1" },
            { find: "time + 1", replace: "time" },
          ]),
          "01-clocks/sequential",
        ),
      "a second change made ambiguous by the first",
    ).toThrow(/found more than once/);
  });

  test("mutant() returns its definition unchanged", () => {
    const definition = mistake([{ find: "a", replace: "b" }]);
    expect(mutant(definition), "what mutant() returns").toBe(definition);
  });
});
