import { writeFileSync } from "node:fs";
import { relative } from "node:path";
import { BroadcastChannel } from "node:worker_threads";
import type { Reporter, SerializedError, TestCase, TestModule } from "vitest/node";
import { repositoryRoot } from "./catalog.js";
import { runningChannelName, type RunningNow } from "./running-channel.js";

/** One test's outcome, as the workbook's own commands read it. */
export interface TestOutcome {
  project: string;
  /** The test file, relative to the repository root. */
  file: string;
  /** The test's own name, without its describe blocks. */
  name: string;
  fullName: string;
  state: "passed" | "failed" | "skipped";
  errors: string[];
  /** Stack traces of the errors, where vitest kept them (same order as `errors`). */
  stacks?: string[];
  /** The first error's stack frames, source-mapped: where in which file it was thrown. */
  frames?: Array<{ file: string; line: number; column: number }>;
  /** How long the test ran, in milliseconds of wall time. */
  durationMs: number;
  /** Set when the test never finished: its worker died or the run was stopped. */
  unfinished?: boolean;
}

/** What a run as a whole says besides its tests. */
export interface RunOutcome {
  outcomes: TestOutcome[];
  /** Errors outside any test: a worker that exited, an unhandled rejection. */
  unhandledErrors: string[];
  /** The last test (and seed) each worker announced, for a run that died or hung. */
  running: RunningNow[];
  durationMs?: number;
}

/**
 * Collects every test's outcome in memory for the workbook's own commands, counting from
 * vitest itself rather than its printout. A test that never finished (its worker was killed, or
 * ran out of memory, or the watchdog stopped the run) counts as failed: an exercise passes only
 * when every one of its tests ran and passed.
 */
export class ResultsCollector implements Reporter {
  readonly finished: Promise<void>;
  #finish: () => void = () => {};
  #modules: ReadonlyArray<TestModule> = [];
  #unhandled: string[] = [];
  #started = new Set<TestCase>();
  #testModules = new Set<TestModule>();
  #running = new Map<string, RunningNow>();
  #channel: BroadcastChannel | undefined;
  #durationMs: number | undefined;
  #startedAt = 0;

  /**
   * When the run, a test file, a test or a seed last started or ended (a file is queued, then
   * collected once its code has loaded), in real milliseconds: what the watchdog reads. Vitest's
   * own start-up before the run begins is not counted against the learner's code.
   */
  lastProgressMs = performance.now();

  constructor() {
    this.finished = new Promise((resolve) => (this.#finish = resolve));
    this.#channel = new BroadcastChannel(runningChannelName);
    this.#channel.unref();
    this.#channel.onmessage = (event) => {
      const now = (event as { data: RunningNow }).data;
      this.#running.set(now.worker, now);
      this.lastProgressMs = performance.now();
    };
  }

  onTestCaseResult(): void {
    this.lastProgressMs = performance.now();
  }

  onTestRunStart(): void {
    this.#startedAt = performance.now();
    this.lastProgressMs = this.#startedAt;
  }

  onTestModuleQueued(testModule: TestModule): void {
    this.#testModules.add(testModule);
    this.lastProgressMs = performance.now();
  }

  onTestModuleCollected(): void {
    this.lastProgressMs = performance.now();
  }

  onTestCaseReady(testCase: TestCase): void {
    this.#started.add(testCase);
    this.lastProgressMs = performance.now();
  }

  onTestRunEnd(
    testModules: ReadonlyArray<TestModule>,
    unhandledErrors: ReadonlyArray<SerializedError>,
  ): void {
    this.#modules = testModules;
    this.#unhandled = unhandledErrors.map((error) => error.message ?? String(error));
    this.#durationMs = performance.now() - this.#startedAt;
    this.#channel?.close();
    this.#finish();
  }

  /** The run was stopped from outside: whatever is known so far is the result. */
  stop(): void {
    if (this.#modules.length === 0) this.#modules = [...this.#testModules];
    this.#channel?.close();
    this.#finish();
  }

  outcome(): RunOutcome {
    return {
      outcomes: outcomesOf(this.#modules),
      unhandledErrors: this.#unhandled,
      running: [...this.#running.values()],
      ...(this.#durationMs === undefined ? {} : { durationMs: this.#durationMs }),
    };
  }
}

export function outcomesOf(testModules: ReadonlyArray<TestModule>): TestOutcome[] {
  const outcomes: TestOutcome[] = [];
  for (const testModule of testModules) {
    const project = testModule.project.name;
    const file = relative(repositoryRoot, testModule.moduleId).split("\\").join("/");
    const moduleErrors = testModule.errors().map((error) => plainText(error.message));
    let count = 0;
    for (const test of testModule.children.allTests()) {
      count++;
      const result = test.result();
      const unfinished = result.state === "pending";
      const skipped = result.state === "skipped" || test.options.mode === "skip";
      const state = result.state === "passed" ? "passed" : skipped ? "skipped" : "failed";
      const errors = (result.errors ?? []).map((error) =>
        plainText(error.message ?? String(error)),
      );
      const stacks = (result.errors ?? []).map((error) => plainText(error.stack ?? ""));
      outcomes.push({
        project,
        file,
        name: test.name,
        fullName: test.fullName,
        state: unfinished && !skipped ? "failed" : state,
        errors,
        stacks,
        frames: (result.errors?.[0]?.stacks ?? []).map(({ file, line, column }) => ({
          file,
          line,
          column,
        })),
        durationMs: test.diagnostic()?.duration ?? 0,
        ...(unfinished && !skipped ? { unfinished: true } : {}),
      });
    }
    if (count === 0 || moduleErrors.length > 0) {
      outcomes.push({
        project,
        file,
        name: "(file failed to load)",
        fullName: "(file failed to load)",
        state: moduleErrors.length > 0 || count === 0 ? "failed" : "skipped",
        errors: moduleErrors,
        stacks: testModule.errors().map((error) => plainText(error.stack ?? "")),
        durationMs: 0,
        ...(moduleErrors.length === 0 ? { unfinished: true } : {}),
      });
    }
  }
  return outcomes;
}

/**
 * A message without the terminal's colour codes. Vite's parser writes a syntax error's code frame
 * in colour, a code around each character; the workbook colours its own report (and not at
 * all with NO_COLOR), and a line full of codes was cut and wrapped at the wrong places.
 */
export function plainText(text: string): string {
  return text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "");
}

/**
 * Writes every test's outcome to the JSON file named by WORKBOOK_RESULTS_OUT, for a vitest run
 * started by hand (`npx vitest --reporter ./harness/workbook/results-reporter.ts`).
 */
export default class ResultsReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const path = process.env["WORKBOOK_RESULTS_OUT"];
    if (path === undefined) return;
    writeFileSync(path, JSON.stringify(outcomesOf(testModules), null, 2));
  }
}
