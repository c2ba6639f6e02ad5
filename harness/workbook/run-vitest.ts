import { writeFileSync } from "node:fs";
import { Writable } from "node:stream";
import type { Reporter } from "vitest/node";
import { repositoryRoot } from "./catalog.js";
import { ResultsCollector, type RunOutcome, type TestOutcome } from "./results-reporter.js";
import { loadVitest } from "./vitest-bundle.js";
import { workbookConfig } from "./vitest-config.js";

export interface VitestRun {
  /** Vitest projects to run: "chapters", "solutions", "harness", "mutant:*". */
  projects: string[];
  /** Test files, relative to the repository root; all of the projects' files when empty. */
  files?: string[];
  /** Only tests whose name matches this regular expression. */
  testNamePattern?: string;
  /** Extra environment, such as WORKBOOK_SEED. */
  env?: Record<string, string>;
  /**
   * "quiet" prints nothing; "dot" a dot per test; "verbose" vitest's full report; "reporter"
   * prints only what `reporter` prints (the workbook's short report).
   */
  output: "quiet" | "dot" | "verbose" | "reporter";
  /** A reporter of the caller's, run beside the one that collects outcomes. */
  reporter?: Reporter;
  /** How many test files run at once; the config's two (both cores of a laptop) by default. */
  maxWorkers?: number;
  /** Keep watching and re-run on save (never returns results). */
  watch?: boolean;
  /**
   * How long the run may go without progress (no test file, test or seed starting or ending)
   * before it is stopped; the whole run is bounded at ten times this. Exercise code is guarded
   * against infinite loops and every test has a real-time budget, but a bound here means that
   * nothing, however broken (a catastrophic regular expression, say), leaves a learner staring
   * at a frozen terminal.
   * @default 600_000
   */
  timeoutMs?: number;
}

export interface VitestResult extends RunOutcome {
  outcomes: TestOutcome[];
  exitCode: number;
  /** Set when the run had to be stopped. */
  timedOut: boolean;
  /** What vitest itself reports as the run's duration, in milliseconds. */
  durationMs: number;
}

/**
 * Runs vitest in this process, through its Node API, with the workbook's config, and collects
 * every test's outcome. One Node start-up fewer than spawning its CLI; the tests themselves
 * still run in worker threads, so a stuck test cannot stop this process's watchdog.
 */
export async function runVitest(run: VitestRun): Promise<VitestResult> {
  // The config reads WORKBOOK_* variables when it loads, and the workers inherit them.
  const previous = new Map<string, string | undefined>();
  for (const [key, value] of Object.entries(run.env ?? {})) {
    previous.set(key, process.env[key]);
    process.env[key] = value;
  }
  const collector = new ResultsCollector();
  const reporters: Array<Reporter | string> = [collector];
  if (run.reporter !== undefined) reporters.push(run.reporter);
  if (run.output === "dot") reporters.push("dot");
  if (run.output === "verbose") reporters.push("default");
  // When each stage began, in milliseconds since this process started, for the bench.
  const stages = { importing: performance.now(), imported: 0, ended: 0 };
  // Loaded here, not imported at the top: commands that run no tests start without it (0.3 s
  // sooner). From the workbook's bundle of it when there is one (see vitest-bundle.ts).
  const vitestNode = await loadVitest(repositoryRoot);
  const { createVitest, startVitest } = vitestNode.api;
  stages.imported = performance.now();
  // The config as an object: vitest need not find, bundle and load a config file.
  const config = await workbookConfig();
  const started = performance.now();
  let timedOut = false;
  // A worker thread that dies (out of memory, say) makes vitest's pool emit an error that no one
  // listens to, which would end this process before it could say what happened. It is recorded
  // instead; the tests that did not finish then count as failed.
  const workerDeaths: string[] = [];
  const onWorkerDeath = (error: Error) => {
    if (
      !/Worker exited unexpectedly|ERR_WORKER|vitest-pool/.test(
        `${error.message} ${String((error as { code?: unknown }).code)}`,
      )
    )
      throw error;
    workerDeaths.push(error.message);
    collector.stop();
  };
  process.on("uncaughtException", onWorkerDeath);
  const options = {
    config: false as const,
    root: repositoryRoot,
    project: run.projects,
    watch: run.watch === true,
    run: run.watch !== true,
    reporters,
    passWithNoTests: true,
    // Threads start faster than forked processes, and a stuck thread can be terminated.
    pool: "threads",
    ...(run.testNamePattern === undefined ? {} : { testNamePattern: run.testNamePattern }),
    ...(run.maxWorkers === undefined ? {} : { maxWorkers: run.maxWorkers }),
  };
  const streams =
    run.output === "quiet" || run.output === "reporter"
      ? { stdout: silent(), stderr: silent() }
      : {};
  try {
    if (run.watch === true) {
      await startVitest("test", run.files ?? [], options, config, streams);
      vitestNode.afterRun();
      await new Promise<never>(() => {});
    }
    // The watchdog starts before the run does: a test that never returns must not stop it. It
    // fires when nothing has progressed (no test file, test or seed started or ended) for
    // `timeoutMs`, so a slow, loaded machine is not mistaken for a hang; a whole run is bounded
    // at ten times that.
    const timeoutMs = run.timeoutMs ?? 600_000;
    const startedMs = performance.now();
    let watchdogTimer: NodeJS.Timeout | undefined;
    const watchdog = new Promise<"timeout">((resolve) => {
      watchdogTimer = setInterval(
        () => {
          const now = performance.now();
          if (now - collector.lastProgressMs > timeoutMs || now - startedMs > 10 * timeoutMs)
            resolve("timeout");
        },
        Math.min(1_000, timeoutMs / 4),
      );
    });
    const vitest = await createVitest("test", options, config, streams);
    const running = vitest.start(run.files ?? []).catch((error: unknown) => {
      workerDeaths.push(error instanceof Error ? error.message : String(error));
      collector.stop();
    });
    const ended = await Promise.race([collector.finished.then(() => "ended" as const), watchdog]);
    stages.ended = performance.now();
    clearInterval(watchdogTimer);
    if (ended === "timeout") {
      timedOut = true;
      collector.stop();
      // Closing waits for the workers, and a stuck one never answers: after half a second it is
      // left to the caller, which exits, ending it (and the learner hears sooner).
      await Promise.race([
        vitest.close(),
        new Promise((resolve) => setTimeout(resolve, 500).unref()),
      ]);
    } else {
      await Promise.race([running, new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
      await Promise.race([
        vitest.close(),
        new Promise((resolve) => setTimeout(resolve, 5_000).unref()),
      ]);
    }
  } finally {
    vitestNode.afterRun();
    process.off("uncaughtException", onWorkerDeath);
    for (const [key, value] of previous) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
  const collected = collector.outcome();
  const outcome = {
    ...collected,
    unhandledErrors: [...collected.unhandledErrors, ...workerDeaths],
  };
  const failed = outcome.outcomes.some((test) => test.state === "failed");
  // The bench reads vitest's own duration, to tell start-up overhead from test time, and when
  // each stage before and after it began, to say where that overhead goes.
  const timingOut = process.env["WORKBOOK_TIMING_OUT"];
  if (timingOut !== undefined)
    writeFileSync(
      timingOut,
      JSON.stringify({ durationMs: outcome.durationMs ?? 0, stages, vitestFrom: vitestNode.from }),
    );
  return {
    ...outcome,
    exitCode: failed || timedOut || outcome.unhandledErrors.length > 0 ? 1 : 0,
    timedOut,
    durationMs: outcome.durationMs ?? performance.now() - started,
  };
}

/** Vitest's own logger writes here when the caller prints its own report. */
function silent(): Writable {
  return new Writable({ write: (_chunk, _encoding, callback) => callback() });
}
