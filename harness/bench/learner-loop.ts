import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync } from "node:fs";
import { tmpdir } from "node:os";
import module from "node:module";
import { join } from "node:path";
import { learnerRepository } from "../cli/learner-repository.js";
import { repositoryRoot } from "../workbook/catalog.js";
import {
  buildVitestBundle,
  bundleIsCurrent,
  vitestBundleFolder,
} from "../workbook/vitest-bundle.js";

/** How the bench writes a figure with its unit. */
type Format = (value: number, unit: string, digits?: number) => string;

/**
 * The learner's loop as a learner waits for it: the wall time of `workbook test 1.2
 * --solutions`, and the start-up overhead, which is that wall time minus the duration vitest
 * itself reports for the run (Node start-ups, loading vitest and the CLI), and where that goes.
 * Medians of five, each row its own.
 */
export async function learnerLoopRows(format: Format): Promise<Array<[string, string]>> {
  // As a learner's third command finds it: vitest's bundle built (by the first, in the
  // background) and V8's cache of it written (by the second, see vitest-bundle.ts).
  const bundleFolder = vitestBundleFolder(repositoryRoot);
  if (!bundleIsCurrent(bundleFolder)) await buildVitestBundle(repositoryRoot, bundleFolder);
  timeTest(["test", "1.2", "--solutions"]);
  const runs = Array.from({ length: 5 }, () => timeTest(["test", "1.2", "--solutions"]));
  const wall = median(runs.map((run) => run.wallMs));
  const overhead = median(runs.map((run) => run.wallMs - run.vitestMs));
  const stage = (of: (run: TimedTest, stages: Stages) => number) =>
    format(
      median(runs.map((run) => (run.stages === undefined ? NaN : of(run, run.stages)))) / 1000,
      "s",
    );
  // What a learner types: npm adds its own start-up (a Node process of its own) in front.
  const throughNpm = median(
    Array.from({ length: 5 }, () => {
      const started = performance.now();
      spawnSync("npm", ["run", "-s", "workbook", "--", "test", "1.2", "--solutions"], {
        cwd: repositoryRoot,
        stdio: "ignore",
      });
      return performance.now() - started;
    }),
  );
  return [
    [
      "learner loop: node harness/start.mjs … test 1.2 --solutions (wall)",
      format(wall / 1000, "s"),
    ],
    ["  start-up overhead (wall minus vitest's own duration)", format(overhead / 1000, "s")],
    [
      "    Node's start and the CLI's own code, until vitest is imported",
      stage((_, s) => s.importing),
    ],
    [
      `    loading vitest (${vitestLoadedFrom(runs[0]?.vitestFrom)})`,
      stage((_, s) => s.imported - s.importing),
    ],
    [
      "    createVitest, until the run starts",
      stage((run, s) => s.ended - run.vitestMs - s.imported),
    ],
    [
      "    after the run: closing vitest, printing, exiting",
      stage((run, s) => run.wallMs - s.ended),
    ],
    ["  the same through npm run workbook -- … (wall)", format(throughNpm / 1000, "s")],
  ];
}

/** Where the runs' vitest came from, and what that means on this Node. */
function vitestLoadedFrom(from: string | undefined): string {
  if (from === "bundle") return "the workbook's bundle of it, with V8's code cache";
  if (from === "bundle, compiled anew") return "the workbook's bundle of it, without a code cache";
  return typeof (module as { enableCompileCache?: unknown }).enableCompileCache === "function"
    ? `its own files, from Node ${process.versions.node}'s compile cache`
    : `its own files: Node ${process.versions.node} compiles its 3.5 MB anew each time`;
}

/** `npm test`, the whole check, once: its wall time and the CPU time of it and its children. */
export function npmTestRows(format: Format): Array<[string, string]> {
  const started = performance.now();
  const run = spawnSync("/usr/bin/env", ["bash", "-c", "time -p npm test >/dev/null 2>&1"], {
    cwd: repositoryRoot,
    encoding: "utf8",
  });
  const wall = (performance.now() - started) / 1000;
  const seconds = (label: string) =>
    Number(new RegExp(`^${label} ([\\d.]+)`, "m").exec(run.stderr ?? "")?.[1]);
  const cpu = seconds("user") + seconds("sys");
  return [
    ["npm test (wall)", format(wall, "s")],
    [
      "  CPU time, user + system, of every process it started",
      Number.isNaN(cpu) ? "unknown" : format(cpu, "s"),
    ],
  ];
}

/** When each stage of a run began, in milliseconds since its process started (run-vitest.ts). */
interface Stages {
  importing: number;
  imported: number;
  ended: number;
}

interface TimedTest {
  wallMs: number;
  vitestMs: number;
  stages?: Stages;
  /** Where run-vitest.ts loaded vitest from (see vitest-bundle.ts). */
  vitestFrom?: string;
}

function timeTest(args: string[]): TimedTest {
  const scratch = mkdtempSync(join(tmpdir(), "workbook-bench-"));
  const timing = join(scratch, "timing.json");
  const started = performance.now();
  spawnSync(process.execPath, ["harness/start.mjs", "harness/cli/main.ts", ...args], {
    cwd: repositoryRoot,
    stdio: "ignore",
    env: { ...process.env, WORKBOOK_TIMING_OUT: timing },
  });
  const wallMs = performance.now() - started;
  let vitestMs = 0;
  let stages: Stages | undefined;
  let vitestFrom: string | undefined;
  try {
    const written = JSON.parse(readFileSync(timing, "utf8")) as {
      durationMs: number;
      stages: Stages;
      vitestFrom: string;
    };
    vitestMs = written.durationMs;
    stages = written.stages;
    vitestFrom = written.vitestFrom;
  } catch {
    // No timing written: the run failed before vitest reported; count it all as overhead.
  }
  rmSync(scratch, { recursive: true, force: true });
  return {
    wallMs,
    vitestMs,
    ...(stages === undefined ? {} : { stages }),
    ...(vitestFrom === undefined ? {} : { vitestFrom }),
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/**
 * `npm start` as a learner meets it, in a throwaway clone: the first time (nothing remembered,
 * no module cache: every exercise runs), again with nothing changed, and after an edit to one
 * exercise's file (its chapter runs again), and with every exercise run again on warm caches
 * (`status --rerun`). Medians of three clones.
 */
export async function startRows(format: Format): Promise<Array<[string, string]>> {
  const first: number[] = [];
  const unchanged: number[] = [];
  const edited: number[] = [];
  const rerun: number[] = [];
  for (let clone = 0; clone < 3; clone++) {
    const repository = learnerRepository();
    // A new clone has a node_modules of its own, with no bundle of vitest in it yet: its
    // first command builds one in the background, for the next (see vitest-bundle.ts).
    const bundleFolder = join(repository.root, ".vitest-bundle");
    const vitestBundle = { WORKBOOK_VITEST_BUNDLE: bundleFolder };
    try {
      const status = async (...flags: string[]) => {
        const started = performance.now();
        await repository.workbook(["status", ...flags], vitestBundle);
        return (performance.now() - started) / 1000;
      };
      first.push(await status());
      unchanged.push(await status());
      repository.write(
        "01-clocks/lamport-clock.ts",
        `${repository.read("01-clocks/lamport-clock.ts")}\n// an edit\n`,
      );
      edited.push(await status());
      rerun.push(await status("--rerun"));
    } finally {
      // The clone's builder, which waits for a quiet second, must be done before it goes.
      await builderDone(bundleFolder);
      repository.remove();
    }
  }
  return [
    ["npm start (status), fresh clone: every exercise runs (wall)", format(median(first), "s")],
    ["  again, nothing changed: every result remembered (wall)", format(median(unchanged), "s")],
    ["  after an edit in chapter 1: its 5 exercises run (wall)", format(median(edited), "s")],
    ["  --rerun, caches warm: every exercise runs again (wall)", format(median(rerun), "s")],
  ];
}

/**
 * Resolves when the clone's builder is done: its bundle built and its lock let go (it has up to
 * 3 s to start, and 20 s in all).
 */
async function builderDone(folder: string): Promise<void> {
  const started = performance.now();
  const waiting = () =>
    existsSync(join(folder, "building.lock")) ||
    (!bundleIsCurrent(folder) && performance.now() - started < 3_000);
  while (waiting() && performance.now() - started < 20_000)
    await new Promise((resolve) => setTimeout(resolve, 100));
}

/**
 * Watch mode, the loop a learner keeps open: `workbook test 1.2 --solutions --watch`, then the
 * time from a save of the solution file (its modification time moved on) to the re-run's
 * summary line. Median of five saves.
 */
export async function watchRows(format: Format): Promise<Array<[string, string]>> {
  const watched = join(repositoryRoot, "solutions", "01-clocks", "vector-clock.ts");
  const child = spawn(
    process.execPath,
    ["harness/start.mjs", "harness/cli/main.ts", "test", "1.2", "--solutions", "--watch"],
    { cwd: repositoryRoot, env: { ...process.env, NO_COLOR: "1" } },
  );
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const summaries = () => output.split("✔ 1.2 Vector clock").length - 1;
  const waitForSummary = async (count: number, timeoutMs = 60_000) => {
    const started = performance.now();
    while (summaries() < count) {
      if (performance.now() - started > timeoutMs) throw new Error(`no re-run:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return performance.now() - started;
  };
  const reruns: number[] = [];
  try {
    await waitForSummary(1);
    for (let save = 0; save < 5; save++) {
      await new Promise((resolve) => setTimeout(resolve, 300));
      const now = new Date();
      utimesSync(watched, now, now);
      reruns.push(await waitForSummary(summaries() + 1));
    }
  } catch {
    return [["watch mode: re-run after a save (wall)", "did not re-run"]];
  } finally {
    child.kill();
  }
  return [["watch mode: re-run of 1.2 after a save (wall)", format(median(reruns) / 1000, "s")]];
}

/**
 * The loop against the learner's own code, where the type check runs beside the tests: the
 * time until the verdict line is printed, and until the command ends (after the type errors).
 * On the repository's 1.2 as it is, an untouched stub unless someone has solved it. Medians of five.
 */
export async function ownCodeRows(format: Format): Promise<Array<[string, string]>> {
  const verdicts: number[] = [];
  const ends: number[] = [];
  for (let run = 0; run < 5; run++) {
    const started = performance.now();
    const child = spawn(
      process.execPath,
      ["harness/start.mjs", "harness/cli/main.ts", "test", "1.2"],
      {
        cwd: repositoryRoot,
        env: { ...process.env, NO_COLOR: "1" },
      },
    );
    let output = "";
    let verdictMs: number | undefined;
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (verdictMs === undefined && /[✔✘] 1\.2 /.test(output))
        verdictMs = performance.now() - started;
    });
    await new Promise((resolve) => child.on("close", resolve));
    ends.push(performance.now() - started);
    verdicts.push(verdictMs ?? Number.NaN);
  }
  return [
    [
      "learner loop against your code: workbook test 1.2, verdict printed (wall)",
      format(median(verdicts) / 1000, "s"),
    ],
    ["  command done, type check included (wall)", format(median(ends) / 1000, "s")],
  ];
}
