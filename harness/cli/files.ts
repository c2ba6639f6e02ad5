import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Exercise } from "../workbook/catalog.js";
import { repositoryRoot } from "../workbook/catalog.js";
import { UsageError } from "./selection.js";
import { style } from "./style.js";

/** `workbook compare`: shows how the learner's files differ from the reference solution. */
export function compare(exercise: Exercise): number {
  for (const file of exercise.files) {
    const mine = `chapters/${exercise.chapter.folder}/${file}`;
    const reference = `solutions/${exercise.chapter.folder}/${file}`;
    process.stdout.write(style.bold(`\n${mine}  →  ${reference}\n`));
    // git's no-index diff works on any two files, in or out of a repository.
    const colour = process.stdout.isTTY === true ? "--color=always" : "--color=never";
    const result = spawnSync("git", ["diff", "--no-index", colour, "--", mine, reference], {
      cwd: repositoryRoot,
      stdio: "inherit",
    });
    if (result.error !== undefined)
      throw new UsageError(`compare needs git on the PATH (${result.error.message}).`);
  }
  return 0;
}

/**
 * `workbook reset`: puts an exercise's stub back as the repository shipped it. The learner's
 * current file is kept beside it first, so nothing they wrote is ever lost.
 */
export function reset(exercise: Exercise): number {
  for (const file of exercise.files) {
    const path = `chapters/${exercise.chapter.folder}/${file}`;
    const shipped = spawnSync("git", ["show", `HEAD:${path}`], {
      cwd: repositoryRoot,
      encoding: "utf8",
    });
    if (shipped.status !== 0)
      throw new UsageError(`Cannot find the original ${path} in git: ${shipped.stderr.trim()}`);
    const absolute = join(repositoryRoot, path);
    if (existsSync(absolute)) {
      let backup = `${absolute}.mine`;
      for (let copy = 2; existsSync(backup); copy++) backup = `${absolute}.mine${copy}`;
      copyFileSync(absolute, backup);
      process.stdout.write(`Kept your version as ${backup.slice(repositoryRoot.length + 1)}\n`);
    }
    writeFileSync(absolute, shipped.stdout);
    process.stdout.write(`Restored ${path} to the stub it shipped with.\n`);
  }
  return 0;
}
