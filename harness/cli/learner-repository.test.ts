import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { LearnerRepositoryPool } from "./learner-repository-pool.js";

describe("learner repositories for the CLI tests", () => {
  const pool = new LearnerRepositoryPool();
  afterAll(() => pool.removeAll());

  test("a repository given back is reset to the shipped files, with nothing remembered, and lent again", () => {
    const repository = pool.take();
    const shipped = repository.read("01-clocks/lamport-clock.ts");
    repository.solveWithBug("01-clocks/lamport-clock.ts");
    repository.delete("01-clocks/vector-clock.ts");
    repository.write("01-clocks/notes-of-mine.ts", "export {};\n");
    mkdirSync(join(repository.root, ".workbook"));
    writeFileSync(join(repository.root, ".workbook", "results.json"), "{}");
    mkdirSync(join(repository.root, "node_modules", ".cache"), { recursive: true });
    writeFileSync(join(repository.root, "node_modules", ".cache", "kept"), "a tool's cache");
    expect(repository.gitStatus(), "what the test changed").toHaveLength(3);

    pool.giveBack(repository);
    const again = pool.take();
    expect(again.root, "the same clone, lent again").toBe(repository.root);
    expect(again.gitStatus(), "what git sees changed after the reset").toEqual([]);
    expect(again.read("01-clocks/lamport-clock.ts"), "the shipped stub").toBe(shipped);
    expect(existsSync(join(again.root, ".workbook")), "what the CLI remembered").toBe(false);
    expect(
      existsSync(join(again.root, "node_modules", ".cache", "kept")),
      "the tools' caches",
    ).toBe(true);
    expect(pool.take().root, "a second repository while the first is out").not.toBe(again.root);
  });
});
