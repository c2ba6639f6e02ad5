import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { Simulation } from "../simulation/simulation.js";
import { forEachSeed, replayCommand } from "./seeds.js";

// These variables steer forEachSeed; each test starts without them and puts back what it found.
const steering = ["WORKBOOK_SEED", "WORKBOOK_SEEDS", "WORKBOOK_TARGET", "WORKBOOK_TRACE_OUT"];
let saved: Record<string, string | undefined> = {};

beforeEach(() => {
  saved = Object.fromEntries(steering.map((name) => [name, process.env[name]]));
  for (const name of steering) delete process.env[name];
});

afterEach(() => {
  for (const name of steering) {
    const value = saved[name];
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

/** The seeds forEachSeed runs, with `options`. */
function seedsRun(options?: { seeds?: number }): number[] {
  const seen: number[] = [];
  forEachSeed((seed) => void seen.push(seed), options);
  return seen;
}

/** What forEachSeed throws when `failAt` fails, and the seeds it ran. */
function failure(failAt: (seed: number) => boolean, seeds = 5) {
  const seen: number[] = [];
  try {
    forEachSeed(
      (seed) => {
        seen.push(seed);
        if (failAt(seed)) expect(seed, "the seed under test").toBe(-1);
      },
      { seeds },
    );
  } catch (error) {
    return { error: error as Error, seen };
  }
  return expect.fail("forEachSeed should have passed the failure on");
}

const ranges = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, index) => from + index);

describe("forEachSeed", () => {
  test("runs seeds 1 to N: 20 by default, or as many as asked", () => {
    expect(seedsRun(), "seeds run by default").toEqual(ranges(1, 20));
    expect(seedsRun({ seeds: 3 }), "seeds run with { seeds: 3 }").toEqual([1, 2, 3]);
  });

  test("WORKBOOK_SEEDS sets how many seeds run, over the test's own count", () => {
    process.env["WORKBOOK_SEEDS"] = "7";
    expect(seedsRun({ seeds: 3 }), "seeds run with WORKBOOK_SEEDS=7").toEqual(ranges(1, 7));
  });

  test("WORKBOOK_SEED runs that one seed only", () => {
    process.env["WORKBOOK_SEED"] = "17";
    process.env["WORKBOOK_SEEDS"] = "200";
    expect(seedsRun({ seeds: 3 }), "seeds run with WORKBOOK_SEED=17").toEqual([17]);
  });

  test.for(["0", "-3", "many", "2.5"])(
    "a seed count that is not a whole number of at least 1 (WORKBOOK_SEEDS=%s) is an error, not a test that checks nothing",
    (count) => {
      process.env["WORKBOOK_SEEDS"] = count;
      expect(() => seedsRun(), `forEachSeed with WORKBOOK_SEEDS=${count}`).toThrow(
        /whole number >= 1/,
      );
    },
  );

  test("stops at the first failing seed", () => {
    const { seen } = failure((seed) => seed >= 3);
    expect(seen, "seeds run before stopping").toEqual([1, 2, 3]);
  });

  test("the failure names the seed and the command that replays it, keeping the original error", () => {
    const { error } = failure((seed) => seed === 3);
    expect(error.name, "the original error's class").toBe("AssertionError");
    expect(error.message, "the original message comes first").toMatch(/^the seed under test/);
    expect(error.message, "which seed failed").toContain(
      "failed with seed 3 (the 3rd of 5 seeds tried)",
    );
    const replay = /Replay just this run: {2}(.*)/.exec(error.message)?.[1];
    expect(replay, "the replay command").toMatch(/^npm run workbook -- test \S+ --seed 3 --test /);
    expect(replay, "the replay command names this test").toContain(
      '"the failure names the seed and the command that replays it, keeping the original error"',
    );
    expect(error.message, "no trace to see when the seed simulated nothing").not.toContain(
      "See its events",
    );
  });

  test("when the failing seed ran a simulation, the failure also says how to see its events", () => {
    let error: Error | undefined;
    try {
      forEachSeed(
        (seed) => {
          new Simulation<never>({ seed }).addNodes(["n1"], () => ({ onMessage: () => {} }));
          if (seed === 2) throw new Error("broken");
        },
        { seeds: 3 },
      );
    } catch (caught) {
      error = caught as Error;
    }
    const replay = /Replay just this run: {2}(.*)/.exec(error?.message ?? "")?.[1];
    const events = /See its events: +(.*)/.exec(error?.message ?? "")?.[1];
    expect(replay, "the replay command").toMatch(/^npm run workbook -- test .* --seed 2 /);
    expect(events, "the trace command: the replay command with trace for test").toBe(
      `${replay!.replace(" test ", " trace ")} --text`,
    );
    const page = /Or draw them: +(.*)/.exec(error?.message ?? "")?.[1];
    expect(page, "the viewer's command, beside it").toBe(
      `${replay!.replace(" test ", " trace ")} --html`,
    );
  });

  test("a failure with one seed does not count seeds, and a thrown string becomes an Error", () => {
    process.env["WORKBOOK_SEED"] = "4";
    let error: unknown;
    try {
      forEachSeed(() => {
        throw "plain text";
      });
    } catch (caught) {
      error = caught;
    }
    expect(error, "what forEachSeed threw").toBeInstanceOf(Error);
    expect((error as Error).message, "the message").toMatch(
      /^plain text\n\n.* failed with seed 4\.\n/,
    );
  });

  test("a test of an exercise is replayed by the exercise number, with --solutions when testing solutions", () => {
    const testPath = expect.getState().testPath;
    try {
      expect.setState({ testPath: "chapters/01-clocks/lamport-clock.test.ts" });
      process.env["WORKBOOK_TARGET"] = "solutions";
      const { exercise, command } = replayCommand(9);
      expect(exercise, "the exercise named").toBe("Exercise 1.1 (lamport-clock)");
      expect(command, "the replay command").toMatch(
        /^npm run workbook -- test 1\.1 --seed 9 --solutions --test "/,
      );
    } finally {
      expect.setState({ testPath });
    }
  });

  test("a failure while testing a mutant is replayed with the mutant command", () => {
    process.env["WORKBOOK_TARGET"] = "mutant:01-clocks/receive-without-max";
    const { error } = failure((seed) => seed === 2);
    expect(error.message, "the replay line of a mutant's failure").toContain(
      "Replay: npm run workbook -- mutant 01-clocks/receive-without-max",
    );
    expect(error.message, "a mutant's failure names its seed").toContain("failed with seed 2");
  });

  test("a test name with quotes is quoted for the shell", () => {
    const name = expect.getState().currentTestName;
    try {
      expect.setState({ currentTestName: 'forEachSeed > it\'s "quoted" & odd' });
      expect(replayCommand(1).command, "the replay command").toMatch(
        /--test 'it'\\''s "quoted" & odd'$/,
      );
    } finally {
      expect.setState({ currentTestName: name });
    }
  });

  test("with WORKBOOK_TRACE_OUT, the traces of a seed's simulations are written there", () => {
    const folder = mkdtempSync(join(tmpdir(), "workbook-trace-"));
    try {
      const path = join(folder, "trace.json");
      process.env["WORKBOOK_TRACE_OUT"] = path;
      process.env["WORKBOOK_SEED"] = "2";
      forEachSeed((seed) => {
        const simulation = new Simulation<never>({ seed, name: "traced" });
        simulation.addNodes(["n1"], () => ({ onMessage: () => {} }));
      });
      const document = JSON.parse(readFileSync(path, "utf8")) as {
        seed: number;
        test: string;
        runs: Array<{ name: string; seed: number; events: unknown[] }>;
      };
      expect(
        { seed: document.seed, runs: document.runs.map(({ name, seed }) => `${name} ${seed}`) },
        "the trace file's seed and runs",
      ).toEqual({ seed: 2, runs: ["traced 2"] });
      expect(document.test, "the trace file names the test").toContain("WORKBOOK_TRACE_OUT");
      expect(document.runs[0]?.events.length, "events in the run").toBe(1);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
