import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { formatTable } from "../metrics/format-table.js";
import type { Measurement } from "../metrics/measurement.js";
import { renderChartSvg } from "../metrics/svg-chart.js";
import { repositoryRoot, type Exercise } from "../workbook/catalog.js";
import { UsageError } from "./selection.js";
import { style } from "./style.js";

export interface MeasureOptions {
  /** Seeds per point; the measurement's own default when not given. */
  seeds?: number;
  /** Measure the reference solutions instead of the learner's files. */
  solutions: boolean;
  /** Wall-clock bound on the whole measurement. @default 600_000 */
  timeoutMs?: number;
}

/** Where measurement charts go: per-learner generated state, gitignored. */
export const measurementsFolder = join(repositoryRoot, ".workbook", "measurements");

const tsxEntry = join(
  dirname(createRequire(import.meta.url).resolve("tsx/package.json")),
  "dist",
  "cli.mjs",
);

/**
 * `workbook measure <exercise>`: runs the exercise's measure module (chapter.json's
 * `"measure"`) in a child process under tsx, prints its tables and writes each chart as an
 * SVG file in `.workbook/measurements/`. With `--solutions` the child's module hooks send the
 * module's imports of learner files to the reference solutions, as the vitest "solutions"
 * project does for tests.
 */
export async function measure(exercise: Exercise, options: MeasureOptions): Promise<number> {
  if (exercise.measure === undefined)
    throw new UsageError(
      `Exercise ${exercise.number} (${exercise.id}) has no measurement; the ones that do say "measure" in chapter.json.`,
    );
  const modulePath = join(repositoryRoot, "chapters", exercise.chapter.folder, exercise.measure);
  const scratch = mkdtempSync(join(tmpdir(), "workbook-measure-"));
  const outPath = join(scratch, "measurement.json");
  try {
    process.stderr.write(
      style.dim(
        `Measuring exercise ${exercise.number} against ${options.solutions ? "the reference solutions" : "your code"}…\n`,
      ),
    );
    const args = [
      tsxEntry,
      join(repositoryRoot, "harness", "metrics", "run-measure.ts"),
      modulePath,
      outPath,
      options.seeds === undefined ? "" : String(options.seeds),
      ...(options.solutions ? ["--solutions"] : []),
    ];
    const child = spawn(process.execPath, args, { cwd: repositoryRoot, stdio: "inherit" });
    let timedOut = false;
    const timeoutMs = options.timeoutMs ?? 600_000;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    const exitCode = await new Promise<number>((resolve) =>
      child.on("close", (code) => resolve(code ?? 1)),
    );
    clearTimeout(timer);
    if (timedOut) {
      process.stderr.write(
        style.red(
          `The measurement of exercise ${exercise.number} was stopped after ${timeoutMs / 1000} s: look for a loop that never ends, or measure fewer seeds with --seeds.\n`,
        ),
      );
      return 1;
    }
    if (exitCode !== 0) {
      process.stderr.write(
        style.red(`The measurement of exercise ${exercise.number} failed (see above).\n`),
      );
      return 1;
    }
    const measurement = JSON.parse(readFileSync(outPath, "utf8")) as Measurement;
    try {
      report(exercise, measurement);
    } catch (error) {
      // A chart that cannot be drawn (a NaN, say) is the measure module's mistake: say which.
      process.stderr.write(
        style.red(`${error instanceof Error ? error.message : String(error)}\n`),
      );
      return 1;
    }
    return 0;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function report(exercise: Exercise, measurement: Measurement): void {
  process.stdout.write(`${style.bold(`Exercise ${exercise.number}: ${exercise.title}`)}\n`);
  process.stdout.write(`${measurement.summary}\n`);
  for (const table of measurement.tables) process.stdout.write(`\n${formatTable(table)}\n`);
  if (measurement.charts.length === 0) return;
  mkdirSync(measurementsFolder, { recursive: true });
  process.stdout.write("\nCharts:\n");
  for (const chart of measurement.charts) {
    const path = join(measurementsFolder, `${exercise.id}-${chart.name}.svg`);
    writeFileSync(path, renderChartSvg(chart));
    process.stdout.write(`  ${relative(process.env["INIT_CWD"] ?? process.cwd(), path)}\n`);
  }
}
