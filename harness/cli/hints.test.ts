import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { allExercises, loadCatalog, type Exercise } from "../workbook/catalog.js";
import { hint, readHintProgress, resetHints, revealNextHint } from "./hints.js";

const scratch = mkdtempSync(join(tmpdir(), "workbook-hints-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let files = 0;
const freshFile = () => join(scratch, `hints-${++files}`, "hints.json");

const [first] = allExercises(loadCatalog()) as [Exercise];
const fake = (id: string, hints: string[], number = "9.9"): Exercise => ({
  ...first,
  id,
  number,
  hints,
});
const lamport = fake("lamport", ["lamport nudge", "lamport rule", "lamport mistake"], "1.1");
const vector = fake("vector", ["vector nudge", "vector rule", "vector mistake"], "1.2");

describe("progressive hints", () => {
  test("each run shows one more hint, then stays at the last", () => {
    const exercise = fake("x", ["nudge", "rule", "mistake"]);
    let progress = {};
    const seen: string[][] = [];
    for (let run = 0; run < 4; run++) {
      const next = revealNextHint(progress, exercise);
      seen.push(next.shown);
      progress = next.progress;
    }
    expect(seen, "the hints shown by four runs").toEqual([
      ["nudge"],
      ["nudge", "rule"],
      ["nudge", "rule", "mistake"],
      ["nudge", "rule", "mistake"],
    ]);
  });

  test("progress is remembered per exercise in the hints file", () => {
    const path = freshFile();
    hint(lamport, path);
    hint(lamport, path);
    hint(vector, path);
    expect(readHintProgress(path), "the hints file after 2 runs for 1.1 and 1 for 1.2").toEqual({
      [lamport.id]: 2,
      [vector.id]: 1,
    });
    const third = hint(lamport, path);
    expect(third, "the third run shows the third hint").toContain(lamport.hints[2]);
    expect(third, "and says it was the last").toContain("That was the last hint");
  });

  test("the output numbers the hints and asks to run again until the last", () => {
    const path = freshFile();
    const first = hint(lamport, path);
    expect(first, "the first run").toContain(`(1 of ${lamport.hints.length})`);
    expect(first, "the first hint").toContain(`1. ${lamport.hints[0]}`);
    expect(first, "not the second").not.toContain(lamport.hints[1]);
    expect(first, "how to get the next").toContain("npm run workbook -- hint 1.1");
  });

  test("--reset forgets one exercise's hints, or all of them", () => {
    const path = freshFile();
    hint(lamport, path);
    hint(vector, path);
    resetHints(lamport, path);
    expect(readHintProgress(path), "after resetting 1.1").toEqual({ [vector.id]: 1 });
    expect(hint(lamport, path), "1.1 starts again at its first hint").toContain("(1 of");
    resetHints(undefined, path);
    expect(readHintProgress(path), "after resetting all").toEqual({});
  });

  test("an unreadable hints file starts over instead of failing", () => {
    const path = freshFile();
    hint(lamport, path);
    writeFileSync(path, "{ not json");
    expect(readHintProgress(path), "progress from a broken file").toEqual({});
    writeFileSync(path, JSON.stringify({ [lamport.id]: "two", [vector.id]: 1 }));
    expect(readHintProgress(path), "entries that are not counts are dropped").toEqual({
      [vector.id]: 1,
    });
    expect(hint(lamport, path), "the next hint after a broken file").toContain("(1 of");
    expect(JSON.parse(readFileSync(path, "utf8")), "the file is whole again").toEqual({
      [lamport.id]: 1,
      [vector.id]: 1,
    });
  });

  test("an exercise without hints says so and remembers nothing", () => {
    const path = freshFile();
    expect(hint(fake("bare", []), path), "the output").toMatch(/has no hints yet/);
    expect(readHintProgress(path), "the hints file").toEqual({});
  });
});
