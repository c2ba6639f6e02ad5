import { spawn } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import vm from "node:vm";
import type * as VitestNode from "vitest/node";

/**
 * Loading vitest's Node API is most of what a one-exercise `workbook test` waits for before a
 * test runs: 3.5 MB of vitest and vite in about 120 modules, which Node 20 compiles anew on every
 * start (Node 22 keeps the bytecode of ES modules it has compiled; Node 20 has no such cache).
 * So the workbook bundles `vitest/node` and everything it imports into one CommonJS file with
 * esbuild, and runs that file through `vm.Script` with V8's code cache, which Node 20 does keep
 * for a script. Loading vitest then takes about 55 ms instead of 130 ms.
 *
 * - The bundle is built once, in the background, by the first command that finds none (so that
 *   command, a fresh clone's first `npm start`, is not slowed by it), at the lowest priority and
 *   once no command has been running tests for a second; the next command uses it, and writes
 *   V8's cache of it when its run is over; from then on, vitest loads from both.
 * - It lives beside the vitest it was made from (`node_modules/.cache/workbook/vitest-bundle/`
 *   of the real `node_modules`), so throwaway clones whose `node_modules` links to this one's
 *   share it. It is rebuilt when any file that went into it changes size or time, as the CLI's
 *   own bundle is (start.mjs).
 * - Each bundled module's `import.meta.url`, `dirname` and `filename` are its own file's, so
 *   vitest finds its workers, and vite its client files, where they are. Packages that are not
 *   installed (vite's optional ones) and native addons stay outside, loaded as they would be.
 * - Anything wrong with the bundle (missing, stale, failing to load) means vitest is imported as
 *   usual. `WORKBOOK_VITEST_BUNDLE=off` always does that; an absolute path there keeps the
 *   bundle in that folder instead (the bench's fresh clones start with none, as a new one would).
 */
export interface LoadedVitest {
  api: typeof VitestNode;
  /** Where it came from, for the bench. */
  from: "bundle" | "bundle, compiled anew" | "vitest's own files";
  /** Called when the run is over: writes V8's cache, or starts building the bundle. */
  afterRun(): void;
}

/**
 * Vitest's Node API, from the bundle when there is a current one that loads. `folder` and
 * `build` are the tests' to choose; the CLI uses the bundle's place and a background build.
 */
export async function loadVitest(
  root: string,
  folder = bundleFolderSetting() ?? vitestBundleFolder(root),
  build: () => void = () => buildInBackground(root, folder),
): Promise<LoadedVitest> {
  const loaded = await load(folder, build);
  let done = false;
  return {
    ...loaded,
    afterRun() {
      if (done) return;
      done = true;
      loaded.afterRun();
    },
  };
}

async function load(folder: string, build: () => void): Promise<LoadedVitest> {
  const own = async (afterRun: () => void): Promise<LoadedVitest> => ({
    api: await import("vitest/node"),
    from: "vitest's own files",
    afterRun,
  });
  if (process.env["WORKBOOK_VITEST_BUNDLE"] === "off") return own(() => {});
  try {
    const bundled = loadVitestBundle(folder);
    if (bundled !== undefined) return bundled;
  } catch {
    // A bundle that does not load is left alone (it would be built the same again) until a
    // file that went into it changes; this run imports vitest as usual.
    return own(() => {});
  }
  // Until the bundle is built, each command that runs says so: the builder waits for a quiet
  // moment rather than share the processor with the learner's next command.
  const unmark = markRunning(folder);
  return own(() => {
    unmark();
    build();
  });
}

/** Marks this process as running tests, for the builder to wait for; returns the unmarking. */
function markRunning(folder: string): () => void {
  const marker = join(folder, "running", String(process.pid));
  try {
    mkdirSync(dirname(marker), { recursive: true });
    writeFileSync(marker, "");
  } catch {
    return () => {};
  }
  return () => {
    try {
      rmSync(marker, { force: true });
    } catch {
      // Left behind: the builder skips the marks of processes that have ended.
    }
  };
}

/** Whether a process other than this one is marked as running tests, and still alive. */
export function othersRunning(folder: string): boolean {
  const markers = join(folder, "running");
  if (!existsSync(markers)) return false;
  return readdirSync(markers).some((name) => {
    const pid = Number(name);
    if (!Number.isInteger(pid) || pid === process.pid) return false;
    try {
      process.kill(pid, 0);
      return true;
    } catch (error) {
      // Not allowed to signal it: it is alive. Gone: its marker is a leftover of a crash.
      if ((error as NodeJS.ErrnoException).code === "EPERM") return true;
      rmSync(join(markers, name), { force: true });
      return false;
    }
  });
}

/** Resolves once no other process has been marked as running for `quietMs`, or after `maxMs`. */
export async function quietMoment(folder: string, quietMs: number, maxMs: number): Promise<void> {
  const started = Date.now();
  let quietSince = Date.now();
  while (Date.now() - started < maxMs) {
    if (othersRunning(folder)) quietSince = Date.now();
    else if (Date.now() - quietSince >= quietMs) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A folder named by WORKBOOK_VITEST_BUNDLE, if it names one. */
function bundleFolderSetting(): string | undefined {
  const setting = process.env["WORKBOOK_VITEST_BUNDLE"];
  return setting !== undefined && isAbsolute(setting) ? setting : undefined;
}

/** Where the bundle is kept: in the `node_modules` that vitest is really installed in. */
export function vitestBundleFolder(root: string): string {
  const installed = dirname(realpathSync(join(root, "node_modules", "vitest")));
  return join(installed, ".cache", "workbook", "vitest-bundle");
}

/** What `buildVitestBundle` writes beside the bundle: the stamp of every file that went in. */
interface Manifest {
  inputs: Record<string, string>;
}

const bundleName = "vitest-node.cjs";
const manifestName = "vitest-node.json";

/** The bundle, loaded; undefined when there is none, or a file that went into it has changed. */
export function loadVitestBundle(folder: string): LoadedVitest | undefined {
  if (!bundleIsCurrent(folder)) return undefined;
  const bundlePath = join(folder, bundleName);

  // V8's cache belongs to one V8: one file per Node version.
  const cachePath = join(folder, `vitest-node.${process.version}-${process.arch}.v8cache`);
  const cachedData = existsSync(cachePath) ? readFileSync(cachePath) : undefined;
  const script = new vm.Script(
    `(function (exports, require, module, __filename, __dirname) {${readFileSync(bundlePath, "utf8")}\n})`,
    {
      filename: bundlePath,
      ...(cachedData === undefined ? {} : { cachedData }),
      // What the bundle imports by a name only known at run time goes to Node's own loader.
      importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
    },
  );
  const cached = cachedData !== undefined && !script.cachedDataRejected;
  const wrapper = script.runInThisContext() as (
    exports: object,
    require: NodeJS.Require,
    module: { exports: object },
    filename: string,
    dirname: string,
  ) => void;
  const module = { exports: {} };
  wrapper.call(
    module.exports,
    module.exports,
    createRequire(bundlePath),
    module,
    bundlePath,
    folder,
  );
  return {
    api: module.exports as typeof VitestNode,
    from: cached ? "bundle" : "bundle, compiled anew",
    // Made after the run, the cache holds every function the run compiled, not only the top level.
    afterRun: () => {
      if (cached) return;
      try {
        writeAtomically(cachePath, script.createCachedData());
      } catch {
        // Not written (a read-only node_modules, say): the next command compiles it again.
      }
    },
  };
}

/** Whether `folder` holds a bundle made from the files installed now. */
export function bundleIsCurrent(folder: string): boolean {
  const manifestPath = join(folder, manifestName);
  if (!existsSync(join(folder, bundleName)) || !existsSync(manifestPath)) return false;
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as Manifest;
  } catch {
    // Unreadable, as no build of this version writes it: built again.
    return false;
  }
  return Object.entries(manifest.inputs ?? {}).every(
    ([path, stamp]) => existsSync(path) && stampOf(path) === stamp,
  );
}

/**
 * Bundles `vitest/node`, as installed under `root`, into `folder`. Takes about half a second.
 */
export async function buildVitestBundle(root: string, folder: string): Promise<void> {
  const esbuild = await import("esbuild");
  const result = await esbuild.build({
    stdin: { contents: 'export * from "vitest/node";', resolveDir: root, loader: "js" },
    bundle: true,
    platform: "node",
    format: "cjs",
    target: `node${process.versions.node.split(".")[0]}`,
    write: false,
    metafile: true,
    logLevel: "silent",
    // esbuild replaces these expressions, and only real ones, never text in a string; each
    // module declares the names, with its own values, at its top (see ownImportMeta).
    define: {
      "import.meta.url": "__workbook_import_meta_url",
      "import.meta.dirname": "__workbook_import_meta_dirname",
      "import.meta.filename": "__workbook_import_meta_filename",
    },
    external: ["*.node"],
    plugins: [optionalStaysOutside(), ownImportMeta()],
  });
  const inputs: Record<string, string> = {};
  for (const input of Object.keys(result.metafile.inputs)) {
    if (input.startsWith("<stdin>")) continue;
    const path = resolve(root, input);
    inputs[path] = stampOf(path);
  }
  mkdirSync(folder, { recursive: true });
  writeAtomically(join(folder, bundleName), result.outputFiles[0]!.contents);
  writeAtomically(join(folder, manifestName), JSON.stringify({ inputs } satisfies Manifest));
}

type EsbuildPlugin = import("esbuild").Plugin;

/**
 * What vitest and vite import only when they need it, a package by name (a config loader, a CSS
 * preprocessor, a coverage provider), and what is not installed (vite's optional packages,
 * imported inside try/catch) stay outside the bundle: each loads, or fails, as it would have.
 */
function optionalStaysOutside(): EsbuildPlugin {
  return {
    name: "optional-stays-outside",
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (args.kind === "dynamic-import") return { path: args.path, external: true };
        if (args.pluginData === "probe") return undefined;
        const found = await build.resolve(args.path, {
          kind: args.kind,
          resolveDir: args.resolveDir,
          pluginData: "probe",
        });
        return found.errors.length > 0 ? { path: args.path, external: true } : undefined;
      });
    },
  };
}

/** Declares, at the top of every module that uses `import.meta`, its own file's values. */
function ownImportMeta(): EsbuildPlugin {
  return {
    name: "own-import-meta",
    setup(build) {
      build.onLoad({ filter: /\.[cm]?js$/ }, (args) => {
        const source = readFileSync(args.path, "utf8");
        if (!source.includes("import.meta")) return undefined;
        const values = [
          `__workbook_import_meta_url = ${JSON.stringify(pathToFileURL(args.path).href)}`,
          `__workbook_import_meta_dirname = ${JSON.stringify(dirname(args.path))}`,
          `__workbook_import_meta_filename = ${JSON.stringify(args.path)}`,
        ];
        return { contents: `var ${values.join(", ")};\n${source}`, loader: "js" };
      });
    },
  };
}

/**
 * Starts building the bundle in a process of its own, which outlives this one: the learner's
 * command has printed its results and ends now, and the next command finds the bundle.
 */
function buildInBackground(root: string, folder: string): void {
  try {
    const child = spawn(
      process.execPath,
      [
        join(root, "harness", "start.mjs"),
        join(root, "harness", "workbook", "build-vitest-bundle.ts"),
        folder,
      ],
      { cwd: root, detached: true, stdio: "ignore", windowsHide: true },
    );
    child.on("error", () => {});
    child.unref();
  } catch {
    // No bundle this time: vitest is imported as usual, as it was.
  }
}

/** The stamp of a file that went into the bundle: a changed size or time means a rebuild. */
function stampOf(path: string): string {
  const stats = statSync(path);
  return `${stats.size}:${stats.mtimeMs}`;
}

/** Written beside and renamed into place, so a command starting meanwhile never reads half. */
function writeAtomically(path: string, contents: string | Uint8Array): void {
  const scratch = `${path}.${process.pid}.tmp`;
  writeFileSync(scratch, contents);
  renameSync(scratch, path);
}
