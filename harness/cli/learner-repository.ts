import { execFileSync, spawn } from "node:child_process";
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repositoryRoot } from "../workbook/catalog.js";

/**
 * A throwaway clone of the workbook, for tests that act as a learner would: edit a file in
 * `chapters/`, run the real CLI, read what it printed. The real `chapters/` is never touched.
 * It is a git repository with the shipped files committed, since `reset` restores from git.
 */
export interface LearnerRepository {
  root: string;
  /** Writes `chapters/<path>` as the learner would. */
  write(path: string, text: string): void;
  read(path: string): string;
  /**
   * Puts a reference solution into `chapters/`, with each `find` replaced by `replace`: the
   * learner's file with a bug in it.
   */
  solveWithBug(path: string, changes?: Array<{ find: string; replace: string }>): void;
  /** Runs `npm run workbook -- <args>` there, without colour, and returns what it printed. */
  workbook(args: string[], env?: Record<string, string>): Promise<WorkbookRun>;
  /** Deletes `chapters/<path>`. */
  delete(path: string): void;
  /** Paths of `chapters/` that git sees as changed or new. */
  gitStatus(): string[];
  /**
   * Puts back the shipped files and forgets what the CLI remembered (results, hints, backups),
   * keeping only the caches tools keep in node_modules: as good as a new clone, but warm.
   */
  resetToShipped(): void;
  remove(): void;
}

export interface WorkbookRun {
  stdout: string;
  stderr: string;
  /** stdout then stderr. */
  output: string;
  exitCode: number;
}

const copied = ["chapters", "solutions", "harness", "package.json", "tsconfig.json", ".gitignore"];

export function learnerRepository(): LearnerRepository {
  const root = mkdtempSync(join(tmpdir(), "workbook-learner-"));
  // A local clone of one repository of the shipped files, made once per process: hard links to
  // its objects instead of hashing and compressing six hundred files again for every clone.
  execFileSync("git", ["clone", "-q", "--local", shippedRepository(), root], {
    stdio: "ignore",
    env: gitEnvironment,
  });
  // The packages are the workbook's own, linked one by one; the caches tools keep in
  // node_modules (the launch bundles, vitest's module cache) are the clone's, and go with it.
  mkdirSync(join(root, "node_modules"));
  for (const entry of readdirSync(join(repositoryRoot, "node_modules"))) {
    if (cacheFolders.has(entry)) continue;
    symlinkSync(join(repositoryRoot, "node_modules", entry), join(root, "node_modules", entry));
  }
  return {
    root,
    write: (path, text) => writeFileSync(join(root, "chapters", path), text),
    read: (path) => readFileSync(join(root, "chapters", path), "utf8"),
    solveWithBug(path, changes = []) {
      let text = readFileSync(join(root, "solutions", path), "utf8");
      for (const { find, replace } of changes) {
        if (!text.includes(find)) throw new Error(`The fixture's text is not in ${path}: ${find}`);
        text = text.replace(find, replace);
      }
      writeFileSync(join(root, "chapters", path), text);
    },
    workbook(args, env = {}) {
      return new Promise((resolve) => {
        const child = spawn(
          process.execPath,
          ["harness/start.mjs", "harness/cli/main.ts", ...args],
          {
            cwd: root,
            env: {
              ...process.env,
              ...forTheLearner,
              // The type check costs two seconds of CPU a run; the one test about it turns it on.
              WORKBOOK_TYPE_CHECK: "off",
              INIT_CWD: root,
              ...env,
            },
          },
        );
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
        child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
        const timer = setTimeout(() => child.kill("SIGKILL"), 170_000);
        child.on("close", (code) => {
          clearTimeout(timer);
          resolve({ stdout, stderr, output: stdout + stderr, exitCode: code ?? 1 });
        });
      });
    },
    delete: (path) => rmSync(join(root, "chapters", path)),
    gitStatus: () =>
      execFileSync("git", ["status", "--porcelain", "--untracked-files=all", "chapters"], {
        cwd: root,
        encoding: "utf8",
      })
        .split("\n")
        .filter((line) => line.trim() !== ""),
    resetToShipped() {
      const git = (...args: string[]) => execFileSync("git", args, { cwd: root, stdio: "ignore" });
      git("reset", "-q", "--hard");
      git("clean", "-q", "-d", "-f", "-x", "-e", "/node_modules");
    },
    // Retried: a process the clone started may still be writing in it for a moment.
    remove: () => rmSync(root, { recursive: true, force: true, maxRetries: 5 }),
  };
}

let shipped: string | undefined;

/**
 * A git repository of the files a learner clones, committed as "shipped": what every learner
 * repository is cloned from. Made on first use; deleted when this process exits, or by
 * `removeShippedRepository()`.
 */
function shippedRepository(): string {
  if (shipped !== undefined) return shipped;
  const folder = mkdtempSync(join(tmpdir(), "workbook-shipped-"));
  for (const entry of copied) {
    cpSync(join(repositoryRoot, entry), join(folder, entry), {
      recursive: true,
      filter: (source) => !source.includes(`${"/"}.workbook`) && !source.endsWith(".trace.json"),
    });
  }
  const git = (...args: string[]) =>
    execFileSync("git", args, { cwd: folder, stdio: "ignore", env: gitEnvironment });
  git("init", "-q");
  git("add", "-A");
  git("commit", "-q", "-m", "shipped");
  shipped = folder;
  process.once("exit", removeShippedRepository);
  return folder;
}

/** Deletes the repository learner repositories are cloned from; the next clone makes it again. */
export function removeShippedRepository(): void {
  if (shipped !== undefined) rmSync(shipped, { recursive: true, force: true });
  shipped = undefined;
}

/** What tools write into node_modules as they run. */
const cacheFolders = new Set([
  ".cache",
  ".experimental-vitest-cache",
  ".vite",
  ".vite-temp",
  ".vitest",
]);

const gitEnvironment = {
  ...process.env,
  GIT_AUTHOR_NAME: "learner",
  GIT_AUTHOR_EMAIL: "learner@example.com",
  GIT_COMMITTER_NAME: "learner",
  GIT_COMMITTER_EMAIL: "learner@example.com",
};

/** What a learner's shell has: none of the variables the test run itself was given. */
const forTheLearner: Record<string, string | undefined> = {
  NO_COLOR: "1",
  FORCE_COLOR: undefined,
  VITEST: undefined,
  VITEST_WORKER_ID: undefined,
  VITEST_POOL_ID: undefined,
  TEST: undefined,
  NODE_ENV: undefined,
  WORKBOOK_SEED: undefined,
  WORKBOOK_SEEDS: undefined,
  WORKBOOK_TARGET: undefined,
  WORKBOOK_MUTANTS: undefined,
  WORKBOOK_RESULTS_OUT: undefined,
  WORKBOOK_TRACE_OUT: undefined,
};
