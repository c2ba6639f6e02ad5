import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import type { Exercise } from "../workbook/catalog.js";
import { repositoryRoot } from "../workbook/catalog.js";
import { UsageError } from "./selection.js";
import { style } from "./style.js";

/** `workbook compare`: shows how the learner's files differ from the reference solution. */
export function compare(exercise: Exercise): number {
  for (const file of exercise.files) {
    const mine = `chapters/${exercise.chapter.folder}/${file}`;
    const reference = `solutions/${exercise.chapter.folder}/${file}`;
    if (!existsSync(join(repositoryRoot, mine)))
      throw new UsageError(
        `${mine} is missing, so there is nothing to compare. npm run workbook -- reset ${exercise.number} puts the stub back.`,
      );
    if (!existsSync(join(repositoryRoot, reference)))
      throw new UsageError(`${reference} is missing: git checkout -- ${reference} restores it.`);
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
 * current file is copied into .workbook/backups/ first (ignored by git, so `chapters/` stays
 * clean), so nothing they wrote is ever lost; `workbook backups` lists them.
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
      const backup = backUp(absolute);
      process.stdout.write(`Kept your version as ${backup}\n`);
    }
    writeFileSync(absolute, shipped.stdout);
    process.stdout.write(`Restored ${path} to the stub it shipped with.\n`);
  }
  return 0;
}

/** Where every backup goes: one ignored folder, one sub-folder per backup. */
export const backupsFolder = join(repositoryRoot, ".workbook", "backups");

/**
 * Copies a file into .workbook/backups/<time>/<its path in the repository> and returns the
 * copy's path, relative to the root. Copied, never moved: the original stays where it was
 * until the command that made the backup writes over it.
 */
export function backUp(absolute: string): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const inside = relative(repositoryRoot, absolute);
  const within = inside.startsWith("..") ? join("outside", absolute) : inside;
  let folder = join(backupsFolder, stamp);
  for (let copy = 2; existsSync(join(folder, within)); copy++)
    folder = join(backupsFolder, `${stamp}-${copy}`);
  const target = join(folder, within);
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(absolute, target);
  return relative(repositoryRoot, target).split("\\").join("/");
}

/** `workbook backups`: every file a command kept before writing over it, newest first. */
export function listBackups(): number {
  if (!existsSync(backupsFolder)) {
    process.stdout.write(
      "No backups yet: reset and trace keep one here before they write over a file.\n",
    );
    return 0;
  }
  const files: Array<{ path: string; timeMs: number }> = [];
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else files.push({ path, timeMs: statSync(path).mtimeMs });
    }
  };
  walk(backupsFolder);
  files.sort((a, b) => b.timeMs - a.timeMs || a.path.localeCompare(b.path));
  process.stdout.write(style.bold(`Backups in .workbook/backups/, newest first:\n`));
  for (const { path } of files) {
    const relativePath = relative(repositoryRoot, path).split("\\").join("/");
    process.stdout.write(`  ${relativePath}\n`);
  }
  process.stdout.write(
    style.dim("Copy one back with cp, or compare it with git diff --no-index.\n"),
  );
  return 0;
}
