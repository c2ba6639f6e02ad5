import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import type { LearnerRepository } from "./learner-repository.js";
import { LearnerRepositoryPool } from "./learner-repository-pool.js";
import * as fixtures from "./fixtures/learner-bugs.js";

/**
 * The learner's loop, driven through the real CLI on throwaway clones: each test puts a
 * solution with a bug in it where the learner's file goes (harness/cli/fixtures/), runs
 * `workbook …` as a learner would, and checks what they are told. The real chapters/ is never
 * touched. Each test has a clone to itself, with the shipped files and nothing remembered; a
 * clone is reset and lent to a later test when its test is done, so that its caches are warm.
 */
const slow = { timeout: 240_000 };

// Three clones: three CLIs at once keep two cores busy (see LearnerRepositoryPool).
const clones = new LearnerRepositoryPool(3);

/**
 * One random-run test of 1.3, for the tests whose point one failing (or logging) test makes:
 * the other seven would only repeat it, at a second of CPU or more for a runaway loop.
 */
const oneTest = ["--test", "every message is delivered exactly once, in causal order"];

/** A clone with the vector clock solved (causal broadcast, 1.3, builds on it), for `body`. */
async function withClone(body: (repository: LearnerRepository) => Promise<void>): Promise<void> {
  const repository = await clones.take();
  try {
    repository.solveWithBug("01-clocks/vector-clock.ts");
    await body(repository);
  } finally {
    clones.giveBack(repository);
  }
}

/** How many lines `text` takes in a terminal `columns` wide. */
function screenLines(text: string, columns = 100): number {
  return text
    .trimEnd()
    .split("\n")
    .reduce((total, line) => total + Math.max(1, Math.ceil(line.length / columns)), 0);
}

/** Whether `status <number>` counts the exercise as passing; it runs that exercise alone. */
async function passedInStatus(repository: LearnerRepository, number: string): Promise<boolean> {
  const status = await repository.workbook(["status", number, "--json"]);
  const entries = JSON.parse(status.stdout) as Array<{ number: string; passed: boolean }>;
  expect(
    entries.map((entry) => entry.number),
    "the exercises status shows",
  ).toEqual([number]);
  return entries[0]!.passed;
}

// The tests run side by side: each spends most of its time waiting for the CLI it started
// (a watchdog's seconds without progress, a real-time budget running out), and no two share
// a clone.
describe.concurrent("the learner's loop, through the CLI", () => {
  afterAll(() => clones.removeAll());

  test(
    "1. console.log in a node handler is shown, labelled with the node and simulated time",
    slow,
    () =>
      withClone(async (repository) => {
        repository.solveWithBug("01-clocks/causal-broadcast.ts", fixtures.consoleLog);
        const run = await repository.workbook([
          "test",
          "1.3",
          "--test",
          "a message that arrives before its cause waits for it",
        ]);
        expect(run.output, "what the learner saw").toMatch(/\[n2 t=5ms\] heard from n1/);
        expect(run.exitCode, `the test still passes:\n${run.output}`).toBe(0);
      }),
  );

  test(
    "2. a test whose worker died is a failure naming the test, and status does not count it",
    slow,
    () =>
      withClone(async (repository) => {
        repository.solveWithBug("01-clocks/causal-broadcast.ts", fixtures.workerDies);
        const run = await repository.workbook(["test", "1.3"]);
        expect(run.output, "the verdict").toMatch(
          /✘ 1\.3 Causal broadcast: \d+ of \d+ tests pass \(the run did not finish\)/,
        );
        expect(run.output, "which test was running").toContain('the test process stopped while "');
        expect(run.output, "no pointer at a first failure that is not there").not.toContain(
          "Read the first failure above",
        );
        expect(run.exitCode, "the exit code").toBe(1);
        expect(await passedInStatus(repository, "1.3"), "1.3 in status --json").toBe(false);
      }),
  );

  test(
    "3. a seed that fails only after other seeds is re-run alone, and state outside the nodes is named",
    slow,
    () =>
      withClone(async (repository) => {
        repository.solveWithBug("01-clocks/causal-broadcast.ts", fixtures.moduleState);
        const run = await repository.workbook(["test", "1.3", ...oneTest]);
        expect(run.output, `what the learner saw:\n${run.output}`).toMatch(
          /Seed \d+ passes when run alone/,
        );
        expect(run.output, "the cause").toContain("keeps state outside its nodes");
        expect(run.exitCode, "the exit code").toBe(1);
      }),
  );

  test(
    "4. reading the real clock by a route the guard rails cannot see is caught by running the seed twice",
    slow,
    () =>
      withClone(async (repository) => {
        repository.solveWithBug("01-clocks/causal-broadcast.ts", fixtures.hiddenClock);
        const run = await repository.workbook(["test", "1.3"]);
        expect(run.output, `what the learner saw:\n${run.output}`).toContain(
          "The same seed, run twice, gave two different runs",
        );
        expect(run.output, "the first difference").toContain("first run:");
        expect(run.output, "what to use instead").toContain("context.now()");
        expect(run.exitCode, "the exit code").toBe(1);
      }),
  );

  test("4. a Date.now saved when the module loads is refused like a direct call", slow, () =>
    withClone(async (repository) => {
      repository.solveWithBug("01-clocks/causal-broadcast.ts", fixtures.savedDateNow);
      const run = await repository.workbook(["test", "1.3", ...oneTest]);
      expect(run.output, `what the learner saw:\n${run.output}`).toContain(
        "Date.now() was called while n",
      );
      expect(run.exitCode, "the exit code").toBe(1);
    }),
  );

  test("5. a runaway loop is blamed on itself, with the learner's line", slow, () =>
    withClone(async (repository) => {
      repository.solveWithBug("01-clocks/causal-broadcast.ts", fixtures.runawayLoop);
      const run = await repository.workbook(["test", "1.3", ...oneTest]);
      expect(run.output, `what the learner saw:\n${run.output}`).toMatch(
        /A loop ran more than 10,000,000 times while n\d handled a message/,
      );
      expect(run.output, "the learner's line").toMatch(/> +\d+ \|.*for \(let spin = 0/);
      expect(run.exitCode, "the exit code").toBe(1);
    }),
  );

  test(
    "5. a slow handler runs out of its real-time budget, naming the handler and the seed",
    slow,
    () =>
      withClone(async (repository) => {
        repository.solveWithBug("01-clocks/causal-broadcast.ts", fixtures.slowHandler);
        // One test: each would run out of its budget in turn, a second apiece.
        const run = await repository.workbook(["test", "1.3", ...oneTest], {
          WORKBOOK_TEST_BUDGET_MS: "1000",
        });
        expect(run.output, `what the learner saw:\n${run.output}`).toMatch(
          /ran for more than 1 s of real time; it stopped while n\d handled a message from n\d/,
        );
        expect(run.output, "the failing test's line").toMatch(
          /✘ [^\n]+: The test ran for more than 1 s/,
        );
        expect(run.output, "the seed of the run that was stopped").toMatch(
          /seed \d+, stopped at t=/,
        );
        expect(run.exitCode, "the exit code").toBe(1);
      }),
  );

  // The code spins until the watchdog stops it, so the watchdog is short. A cold start could go
  // that long without a test starting and be stopped before it reached the test to name, so the
  // clone's caches are warmed first by a run of the working solution, and the test runs alone,
  // not beside the other CLIs.
  test.sequential(
    "5. code that never returns is stopped by the watchdog, which names the test",
    slow,
    () =>
      withClone(async (repository) => {
        repository.solveWithBug("01-clocks/causal-broadcast.ts");
        const warm = await repository.workbook(["test", "1.3"]);
        expect(warm.exitCode, `the warm-up run passes:\n${warm.output}`).toBe(0);
        repository.solveWithBug("01-clocks/causal-broadcast.ts", fixtures.catastrophicRegex);
        const run = await repository.workbook(["test", "1.3"], { WORKBOOK_WATCHDOG_MS: "3000" });
        expect(run.output, `what the learner saw:\n${run.output}`).toMatch(
          /The tests were stopped after 3 s without progress: ".+" was still running/,
        );
        expect(run.exitCode, "the exit code").toBe(1);
      }),
  );

  test(
    "6. trace --out never lands on a learner's file, and reset keeps backups out of chapters/",
    slow,
    () =>
      withClone(async (repository) => {
        repository.solveWithBug("01-clocks/causal-broadcast.ts");
        const before = repository.read("01-clocks/causal-broadcast.ts");
        const trace = await repository.workbook([
          "trace",
          "1.3",
          "--seed",
          "1",
          "--out",
          "chapters/01-clocks/causal-broadcast.ts",
        ]);
        expect(trace.stderr, "why the trace was refused").toContain("is inside chapters/");
        expect(trace.exitCode, "the exit code").toBe(2);
        expect(repository.read("01-clocks/causal-broadcast.ts"), "the learner's file").toBe(before);
        await repository.workbook(["reset", "1.3"]);
        repository.solveWithBug("01-clocks/causal-broadcast.ts");
        await repository.workbook(["reset", "1.3"]);
        expect(
          repository.gitStatus(),
          "what git sees changed in chapters/ (the solved vector clock only)",
        ).toEqual([" M chapters/01-clocks/vector-clock.ts"]);
        const backups = await repository.workbook(["backups"]);
        expect(
          backups.stdout.match(/chapters\/01-clocks\/causal-broadcast\.ts\n/g),
          `the backups listed:\n${backups.stdout}`,
        ).toHaveLength(2);
      }),
  );

  test("7. type errors in the learner's file are shown with the results", slow, () =>
    withClone(async (repository) => {
      repository.solveWithBug("01-clocks/lamport-clock.ts", fixtures.typeError);
      const run = await repository.workbook(["test", "1.1"], { WORKBOOK_TYPE_CHECK: "on" });
      expect(run.output, `what the learner saw:\n${run.output}`).toMatch(
        /Type errors in your files[^\n]*\n +chapters\/01-clocks\/lamport-clock\.ts:\d+:\d+: Type 'string' is not assignable to type 'number'/,
      );
    }),
  );

  test("7b. a syntax error is shown once, at its line, in plain text", slow, () =>
    withClone(async (repository) => {
      repository.solveWithBug("01-clocks/lamport-clock.ts", fixtures.syntaxError);
      const run = await repository.workbook(["test", "1.1"]);
      const seen = `what the learner saw:\n${run.output}`;
      expect(run.output, seen).toContain("✘ (file failed to load): [PARSE_ERROR] Unexpected token");
      expect(run.output, seen).toMatch(/chapters\/01-clocks\/lamport-clock\.ts:\d+:\d+/);
      expect(run.output, `the line, whole: ${seen}`).toMatch(/\d+ │ +const broken = \(;\n/);
      expect(run.output, "no colour codes with NO_COLOR").not.toMatch(/\x1b\[/);
    }),
  );

  test(
    "8. an untouched 2.2 stub fails in at most 40 lines of 100 columns, with its TODO once",
    slow,
    () =>
      withClone(async (repository) => {
        const run = await repository.workbook(["test", "2.2"]);
        expect(screenLines(run.output), `lines printed:\n${run.output}`).toBeLessThanOrEqual(40);
        expect(run.output, "the collapsed TODOs").toMatch(
          /\d+ tests stop at TODO\(exercise 2\.2\)/,
        );
        expect(
          run.output.split("TODO(exercise 2.2)").length - 1,
          "how often the TODO is printed",
        ).toBeLessThanOrEqual(2);
        expect(run.output, "no harness stack frames").not.toMatch(
          /harness\/simulation\/|node_modules/,
        );
        expect(run.output, "no colour with NO_COLOR").not.toMatch(/\x1b\[/);
        expect(run.output, "the replay command").toContain(
          "npm run workbook -- test 2.2 --seed 1 --test",
        );
      }),
  );

  test("8. with --test, the summary counts the selected tests", slow, () =>
    withClone(async (repository) => {
      const run = await repository.workbook([
        "test",
        "1.2",
        "--test",
        "a new clock reads zero for every node",
      ]);
      expect(run.output, `what the learner saw:\n${run.output}`).toContain(
        "✔ 1.2 Vector clock: 1 of 1 selected tests pass; the exercise has 20",
      );
    }),
  );

  test(
    "9. a missing file says which and how to restore it; --solutions and compare cope",
    slow,
    () =>
      withClone(async (repository) => {
        repository.delete("01-clocks/lamport-clock.ts");
        const run = await repository.workbook(["test", "1.1"]);
        expect(run.output, "the missing file").toContain(
          "chapters/01-clocks/lamport-clock.ts is missing",
        );
        expect(run.output, "how to restore it").toContain("npm run workbook -- reset 1.1");
        expect(run.exitCode, "the exit code").toBe(1);
        const solutions = await repository.workbook(["test", "1.1", "--solutions"]);
        expect(
          solutions.output,
          `--solutions without the learner's file:\n${solutions.output}`,
        ).toContain("✔ 1.1 Lamport clock");
        const compare = await repository.workbook(["compare", "1.1"]);
        expect(compare.stderr, "compare's error").toContain(
          "chapters/01-clocks/lamport-clock.ts is missing",
        );
        expect(compare.exitCode, "compare's exit code").not.toBe(0);
        expect(
          existsSync(join(repository.root, "chapters/01-clocks/lamport-clock.ts")),
          "nothing was recreated",
        ).toBe(false);
      }),
  );

  test("10. --seeds beyond the cap is refused with a clear error", slow, () =>
    withClone(async (repository) => {
      const run = await repository.workbook(["test", "1.2", "--seeds", "1e9"]);
      expect(run.stderr, "the error").toContain("is more than the 100,000 seeds a sweep may run");
      expect(run.exitCode, "the exit code").toBe(2);
    }),
  );
});
