import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { repositoryRoot } from "./catalog.js";
import type { TestOutcome } from "./results-reporter.js";

export interface VitestRun {
  /** Vitest projects to run: "chapters", "solutions", "harness", "mutant:*". */
  projects: string[];
  /** Test files, relative to the repository root; all of the projects' files when empty. */
  files?: string[];
  /** Only tests whose name matches this regular expression. */
  testNamePattern?: string;
  /** Extra environment, such as WORKBOOK_SEED. */
  env?: Record<string, string>;
  /** "quiet" prints nothing; "dot" a dot per test; "verbose" vitest's full report. */
  output: "quiet" | "dot" | "verbose";
  /** Keep watching and re-run on save (never returns results). */
  watch?: boolean;
  /**
   * Wall-clock bound on the whole run. Exercise code is guarded against infinite loops, but a
   * bound here means that nothing, however broken, leaves a learner staring at a frozen
   * terminal. @default 600_000
   */
  timeoutMs?: number;
}

export interface VitestResult {
  outcomes: TestOutcome[];
  exitCode: number;
  /** Set when the run had to be stopped. */
  timedOut: boolean;
}

const vitestEntry = join(
  dirname(createRequire(import.meta.url).resolve("vitest/package.json")),
  "vitest.mjs",
);

/** Runs vitest in a child process with the workbook's config and collects every test's outcome. */
export async function runVitest(run: VitestRun): Promise<VitestResult> {
  const scratch = mkdtempSync(join(tmpdir(), "workbook-"));
  const resultsPath = join(scratch, "results.json");
  const args = [
    vitestEntry,
    run.watch === true ? "watch" : "run",
    "--config",
    "harness/vitest.config.ts",
  ];
  for (const project of run.projects) args.push("--project", project);
  if (run.testNamePattern !== undefined) args.push("--testNamePattern", run.testNamePattern);
  args.push("--reporter", "./harness/workbook/results-reporter.ts");
  if (run.output !== "quiet") args.push("--reporter", run.output === "dot" ? "dot" : "default");
  args.push(...(run.files ?? []));
  const child = spawn(process.execPath, args, {
    cwd: repositoryRoot,
    stdio: run.output === "quiet" ? ["ignore", "ignore", "inherit"] : "inherit",
    env: { ...process.env, ...run.env, WORKBOOK_RESULTS_OUT: resultsPath },
  });
  let timedOut = false;
  const timeoutMs = run.timeoutMs ?? 600_000;
  const timer =
    run.watch === true
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          child.kill("SIGKILL");
        }, timeoutMs);
  const exitCode = await new Promise<number>((resolve) =>
    child.on("close", (code) => resolve(code ?? 1)),
  );
  if (timer !== undefined) clearTimeout(timer);
  let outcomes: TestOutcome[] = [];
  try {
    outcomes = JSON.parse(readFileSync(resultsPath, "utf8")) as TestOutcome[];
  } catch {
    // No results file: vitest failed before running tests (a syntax error in a config, say).
  }
  rmSync(scratch, { recursive: true, force: true });
  return { outcomes, exitCode, timedOut };
}
