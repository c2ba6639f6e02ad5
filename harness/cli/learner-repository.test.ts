import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { LearnerRepositoryPool } from "./learner-repository-pool.js";

describe("learner repositories for the CLI tests", () => {
  const pool = new LearnerRepositoryPool();
  afterAll(() => pool.removeAll());

  test("a repository given back is reset to the shipped files, with nothing remembered, and lent again", async () => {
    const repository = await pool.take();
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
    const again = await pool.take();
    expect(again.root, "the same clone, lent again").toBe(repository.root);
    expect(again.gitStatus(), "what git sees changed after the reset").toEqual([]);
    expect(again.read("01-clocks/lamport-clock.ts"), "the shipped stub").toBe(shipped);
    expect(existsSync(join(again.root, ".workbook")), "what the CLI remembered").toBe(false);
    expect(
      existsSync(join(again.root, "node_modules", ".cache", "kept")),
      "the tools' caches",
    ).toBe(true);
    expect((await pool.take()).root, "a second repository while the first is out").not.toBe(
      again.root,
    );
  });

  test("with every repository of a bounded pool lent, the next test waits for one to come back", async () => {
    const bounded = new LearnerRepositoryPool(1);
    try {
      const first = await bounded.take();
      let second: string | undefined;
      const waiting = bounded.take().then((repository) => (second = repository.root));
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(second, "a repository lent while the only one is out").toBeUndefined();
      first.write("01-clocks/notes-of-mine.ts", "export {};\n");
      bounded.giveBack(first);
      await waiting;
      expect(second, "the one given back").toBe(first.root);
      expect(first.gitStatus(), "what git sees changed in it").toEqual([]);
    } finally {
      bounded.removeAll();
    }
  });
});
