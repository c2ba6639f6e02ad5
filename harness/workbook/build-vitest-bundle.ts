import { closeSync, mkdirSync, openSync, rmSync, statSync } from "node:fs";
import { setPriority } from "node:os";
import { join } from "node:path";
import { repositoryRoot } from "./catalog.js";
import {
  buildVitestBundle,
  bundleIsCurrent,
  quietMoment,
  vitestBundleFolder,
} from "./vitest-bundle.js";

// Builds the bundle of vitest's Node API (see vitest-bundle.ts), in a process of its own, started
// in the background by a command that found none. Several may start at once (the tests' clones
// share one bundle): one builds, and the others end at once. Each says which it did. Arguments:
// the bundle's folder, and how long no command must have run before it starts (1 s).
const folder = process.argv[2] ?? vitestBundleFolder(repositoryRoot);
// At the lowest priority, which esbuild's own process inherits: a command the learner starts
// meanwhile gets the processor first.
try {
  setPriority(19);
} catch {
  // Not allowed here: built at the usual priority.
}
mkdirSync(folder, { recursive: true });
const lock = join(folder, "building.lock");
try {
  // A lock left by a build that died or failed (a build takes about a second) is stale after two
  // minutes.
  if (Date.now() - statSync(lock).mtimeMs > 120_000) rmSync(lock, { force: true });
} catch {
  // No lock.
}
let held: number | undefined;
try {
  held = openSync(lock, "wx");
} catch {
  // Another process is building it.
}
if (held === undefined) {
  process.stdout.write("being built by another process\n");
} else {
  try {
    if (bundleIsCurrent(folder)) process.stdout.write("already built\n");
    else {
      // Not while a learner's command runs: a second after the last one ends, or after a minute.
      await quietMoment(folder, Number(process.argv[3] ?? 1_000), 60_000);
      await buildVitestBundle(repositoryRoot, folder);
      process.stdout.write("built\n");
    }
    rmSync(lock, { force: true });
  } catch (error) {
    // The lock is kept: the commands that follow import vitest as it is, and none tries again
    // until the lock is stale, rather than each spending half a second on the same failure.
    process.stdout.write(
      `could not build: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exitCode = 1;
  } finally {
    closeSync(held);
  }
}
