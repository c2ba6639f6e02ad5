import { Writable } from "node:stream";
import type { Reporter } from "vitest/node";
import { repositoryRoot } from "./catalog.js";
import { ResultsCollector, type RunOutcome, type TestOutcome } from "./results-reporter.js";

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
  /** Keep watching and re-run on save (never returns results). */
  watch?: boolean;
  /**
   * Wall-clock bound on the whole run. Exercise code is guarded against infinite loops and
   * every test has a real-time budget, but a bound here means that nothing, however broken
   * (a catastrophic regular expression, say), leaves a learner staring at a frozen terminal.
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
  const { startVitest } = await loadVitest();
  const started = performance.now();
  let timedOut = false;
  try {
    const vitest = await startVitest(
      "test",
      run.files ?? [],
      {
        config: "harness/vitest.config.ts",
        root: repositoryRoot,
        project: run.projects,
        watch: run.watch === true,
        run: run.watch !== true,
        reporters,
        passWithNoTests: true,
        // Threads start faster than forked processes, and a stuck thread can be terminated.
        pool: "threads",
        ...(run.testNamePattern === undefined ? {} : { testNamePattern: run.testNamePattern }),
      },
      {},
      run.output === "quiet" || run.output === "reporter"
        ? { stdout: silent(), stderr: silent() }
        : {},
    );
    if (run.watch === true) {
      await new Promise<never>(() => {});
    }
    const timeoutMs = run.timeoutMs ?? 600_000;
    const finished = collector.finished;
    const watchdog = new Promise<"timeout">((resolve) =>
      setTimeout(() => resolve("timeout"), timeoutMs).unref(),
    );
    if ((await Promise.race([finished, watchdog])) === "timeout") {
      timedOut = true;
      collector.stop();
      // Closing waits for the workers; a stuck one is terminated after a short grace.
      await Promise.race([
        vitest.close(),
        new Promise((resolve) => setTimeout(resolve, 2_000).unref()),
      ]);
    } else {
      await vitest.close();
    }
  } finally {
    for (const [key, value] of previous) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
  const outcome = collector.outcome();
  const failed = outcome.outcomes.some((test) => test.state === "failed");
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

/**
 * harness/start.mjs begins loading vitest natively while the CLI compiles; outside it (a test,
 * `tsx` by hand) vitest is imported here.
 */
function loadVitest(): Promise<typeof import("vitest/node")> {
  const preloaded = (globalThis as Record<symbol, unknown>)[Symbol.for("workbook.vitest")];
  return (preloaded as Promise<typeof import("vitest/node")> | undefined) ?? import("vitest/node");
}
