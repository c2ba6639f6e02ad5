import { createHash, type Hash } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { repositoryRoot, type Exercise } from "../workbook/catalog.js";
import { relativeImports } from "../workbook/relative-imports.js";
import type { VitestResult } from "../workbook/run-vitest.js";
import type { ExerciseProgress } from "./progress.js";

/**
 * What `status` remembers of each exercise's last whole run against the learner's code, so that
 * `npm start` re-runs only the exercises that something has changed since.
 *
 * This is sound because a run is deterministic: the same code, the same tests and the same
 * harness give the same results for the same seeds, and every run checks that by running its
 * first seed twice. So a result is kept under a key made of everything that can change it: the
 * exercise's chapter folder (the learner's files, the tests and their helpers), any file those
 * import from elsewhere in the repository, the whole harness, the installed packages
 * (package-lock.json), the Node version and the seed settings. A result that was not a whole,
 * finished run (one test picked, one seed, a run stopped or a worker lost) is never kept. The
 * one gap: code that reads real randomness outside a simulated run (where the guard rails do not
 * refuse it) can pass one run and fail the next, and a remembered result shows just one of them;
 * `status --rerun` runs everything anyway.
 */
export interface RememberedResult {
  key: string;
  passed: boolean;
  testsPassed: number;
  testsTotal: number;
}

interface ResultsFile {
  version: number;
  results: Record<string, RememberedResult>;
}

/** Raised whenever what a result depends on, or what is kept of it, changes shape. */
const formatVersion = 1;

export const resultsPath = join(repositoryRoot, ".workbook", "results.json");

/** The key of each exercise's result as its files are now. */
export function resultKeys(exercises: Exercise[], root = repositoryRoot): Map<string, string> {
  const everything = createHash("sha1");
  everything.update(`${formatVersion} ${process.version} ${process.platform} ${process.arch}\n`);
  for (const variable of ["WORKBOOK_SEED", "WORKBOOK_SEEDS"])
    everything.update(`${variable}=${process.env[variable] ?? ""}\n`);
  addFile(everything, root, join(root, "package-lock.json"));
  for (const file of filesUnder(join(root, "harness"))) addFile(everything, root, file);
  const shared = everything.digest("hex");

  const byChapter = new Map<string, string>();
  const keys = new Map<string, string>();
  for (const exercise of exercises) {
    const folder = exercise.chapter.folder;
    let chapterKey = byChapter.get(folder);
    if (chapterKey === undefined) {
      chapterKey = chapterFilesKey(root, join(root, "chapters", folder));
      byChapter.set(folder, chapterKey);
    }
    keys.set(
      exercise.id,
      createHash("sha1").update(`${shared} ${chapterKey} ${exercise.id}`).digest("hex"),
    );
  }
  return keys;
}

/** The remembered result of each exercise whose key still matches. */
export function rememberedResults(
  keys: Map<string, string>,
  path = resultsPath,
): Map<string, RememberedResult> {
  const matching = new Map<string, RememberedResult>();
  for (const [id, result] of Object.entries(readResults(path).results)) {
    if (keys.get(id) === result.key) matching.set(id, result);
  }
  return matching;
}

/** Keeps the results of a whole, finished run, under the keys the files had when it started. */
export function rememberResults(
  progress: ExerciseProgress[],
  keys: Map<string, string>,
  path = resultsPath,
): void {
  const file = readResults(path);
  for (const entry of progress) {
    const key = keys.get(entry.exercise.id);
    if (key === undefined) continue;
    file.results[entry.exercise.id] = {
      key,
      passed: entry.passed,
      testsPassed: entry.testsPassed,
      testsTotal: entry.testsTotal,
    };
  }
  try {
    mkdirSync(dirname(path), { recursive: true });
    // Written beside and renamed into place: two runs at once never leave half a file.
    const scratch = `${path}.${process.pid}.tmp`;
    writeFileSync(scratch, `${JSON.stringify(file, null, 2)}\n`);
    renameSync(scratch, path);
  } catch {
    // Remembering is a saving, not a promise: a read-only checkout just runs everything.
  }
}

/** A run whose results can be remembered: it finished, and no worker was lost on the way. */
export function wholeRun(result: VitestResult): boolean {
  return !result.timedOut && result.unhandledErrors.length === 0 && result.outcomes.length > 0;
}

function readResults(path: string): ResultsFile {
  try {
    const file = JSON.parse(readFileSync(path, "utf8")) as ResultsFile;
    if (file.version === formatVersion && typeof file.results === "object") return file;
  } catch {
    // Missing or unreadable: nothing is remembered.
  }
  return { version: formatVersion, results: {} };
}

/**
 * Every file of a chapter folder, and every file outside it that they import by a relative
 * path (except the harness, which is in every key already), followed to the end.
 */
function chapterFilesKey(root: string, folder: string): string {
  const hash = createHash("sha1");
  const seen = new Set<string>();
  const pending = filesUnder(folder);
  while (pending.length > 0) {
    const file = pending.shift()!;
    if (seen.has(file)) continue;
    seen.add(file);
    addFile(hash, root, file);
    if (!/\.[mc]?[jt]sx?$/.test(file) || !existsSync(file)) continue;
    for (const imported of relativeImports(file)) {
      const inside = imported.startsWith(folder + sep) || imported.startsWith(harness(root));
      if (!inside && !seen.has(imported)) pending.push(imported);
    }
  }
  return hash.digest("hex");
}

function harness(root: string): string {
  return join(root, "harness") + sep;
}

/** The files a module imports by relative path, `.js` specifiers read as the `.ts` they name. */

function addFile(hash: Hash, root: string, file: string): void {
  hash.update(`${relative(root, file)}\n`);
  hash.update(existsSync(file) ? readFileSync(file) : "(missing)");
  hash.update("\n");
}

/** Every file under `folder`, in a fixed order, skipping what tools generate there. */
function filesUnder(folder: string): string[] {
  if (!existsSync(folder)) return [];
  const files: string[] = [];
  for (const entry of readdirSync(folder, { withFileTypes: true }).sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  )) {
    if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
    const path = join(folder, entry.name);
    if (entry.isDirectory()) files.push(...filesUnder(path));
    else if (entry.isFile()) files.push(path);
  }
  return files;
}
