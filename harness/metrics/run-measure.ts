import { writeFileSync } from "node:fs";
import { register } from "node:module";
import { join, sep } from "node:path";
import { pathToFileURL } from "node:url";
import { TodoError } from "../testing/todo.js";
import { repositoryRoot } from "../workbook/catalog.js";
import { checkMeasurement, type MeasureFunction } from "./measurement.js";

/**
 * The child process `workbook measure` starts (under tsx): loads one `*.measure.ts` module,
 * against the learner's files or, with "--solutions", the reference solutions, calls its
 * default export and writes the `Measurement` it returns to a JSON file for the parent to
 * print and draw. A separate process keeps the solutions' module hooks out of the CLI and lets
 * the parent stop a measurement that runs away.
 *
 * Usage: run-measure.ts <measure module> <out.json> <seeds | ""> [--solutions]
 */
async function main([modulePath, outPath, seedsText, target]: string[]): Promise<void> {
  if (modulePath === undefined || outPath === undefined)
    throw new Error("Usage: run-measure.ts <measure module> <out.json> <seeds> [--solutions]");
  if (target === "--solutions") {
    register("./solutions-hooks.ts", import.meta.url, {
      data: {
        chaptersFolder: join(repositoryRoot, "chapters") + sep,
        solutionsFolder: join(repositoryRoot, "solutions") + sep,
      },
    });
  }
  const loaded = (await import(pathToFileURL(modulePath).href)) as { default?: unknown };
  if (typeof loaded.default !== "function")
    throw new Error(
      `${modulePath} must export a MeasureFunction as its default export, got ${typeof loaded.default}`,
    );
  const measure = loaded.default as MeasureFunction;
  const measurement = measure(
    seedsText === undefined || seedsText === "" ? {} : { seeds: Number(seedsText) },
  );
  checkMeasurement(measurement, modulePath);
  writeFileSync(outPath, JSON.stringify(measurement));
}

main(process.argv.slice(2)).catch((error: unknown) => {
  // An unfinished exercise is the expected failure: its TODO says what to write, no stack needed.
  if (isTodo(error)) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exitCode = 1;
    return;
  }
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});

/** A TodoError, or an error a simulation wrapped around one (a stub called inside a node). */
function isTodo(error: unknown): boolean {
  for (let cause = error; cause instanceof Error; cause = cause.cause)
    if (cause instanceof TodoError) return true;
  return false;
}
