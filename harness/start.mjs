// Starts a TypeScript entry point of the workbook: `node harness/start.mjs harness/cli/main.ts …`.
//
// The entry and the harness modules it imports are bundled by esbuild into one JavaScript file
// in node_modules/.cache/workbook/launch/, which Node then loads as it is: no TypeScript loader
// in the process, so vitest's hundreds of modules load natively when a command imports them,
// and the CLI's own thirty modules cost one file read instead of thirty trips through a loader. The bundle is rebuilt (in a few tens of milliseconds) when any file that
// went into it changes size or modification time; checking that is a few milliseconds.
//
// Each module's `import.meta.url` is written into the bundle as the URL of its own source
// file, so the harness finds its files (the repository root, the type-check worker, the
// viewer's stylesheet) exactly as it does when its TypeScript is run directly. If esbuild
// cannot build the bundle, the entry is run through tsx, as it was before the bundle existed.
// A module imported by a path computed at run time is not in the bundle, and Node cannot load
// TypeScript by itself: code that does so compiles it first (workbook/mutants.ts bundles the
// mutants with esbuild) or runs it in a child process under tsx (cli/measure.ts).
import { createHash } from "node:crypto";
import module from "node:module";
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const [entry, ...rest] = process.argv.slice(2);
if (entry === undefined) {
  process.stderr.write("Usage: node harness/start.mjs <file.ts> [arguments]\n");
  process.exit(2);
}
const root = repositoryRoot();
// Node 22.1 and later keep the bytecode of what they compile, vitest's modules most of all,
// for the next start; older Nodes have no such cache, and start as before.
module.enableCompileCache?.(join(root, "node_modules", ".cache", "workbook", "compiled"));

const entryPath = resolve(entry);
process.argv = [process.argv[0], entry, ...rest];

const launchFolder = join(root, "node_modules", ".cache", "workbook", "launch");
// One bundle for each entry point, named by its path.
const key = createHash("sha1").update(entryPath).digest("hex").slice(0, 16);
const bundlePath = join(launchFolder, `${key}.mjs`);
const manifestPath = join(launchFolder, `${key}.json`);

let bundle;
try {
  bundle = upToDate() ? bundlePath : await build();
} catch (error) {
  if (process.env["WORKBOOK_LAUNCH_DEBUG"] === "1") process.stderr.write(`${error.stack}\n`);
}
if (bundle !== undefined) {
  // Stack traces name the TypeScript lines, as they do under tsx.
  process.setSourceMapsEnabled(true);
  await import(pathToFileURL(bundle).href);
} else {
  const { register } = await import("tsx/esm/api");
  await register({ namespace: "workbook" }).import(pathToFileURL(entryPath).href, import.meta.url);
}

/** The stamp of a file that went into a bundle: a changed size or time means a rebuild. */
function stampOf(path) {
  const stats = statSync(path);
  return `${stats.size}:${stats.mtimeMs}`;
}

function upToDate() {
  if (!existsSync(manifestPath) || !existsSync(bundlePath)) return false;
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
  if (manifest.entry !== entryPath) return false;
  for (const [path, stamp] of Object.entries(manifest.inputs)) {
    if (!existsSync(path) || stampOf(path) !== stamp) return false;
  }
  return true;
}

async function build() {
  const esbuild = await import("esbuild");
  const result = await esbuild.build({
    entryPoints: [entryPath],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    // Packages load from node_modules as they are; only the workbook's own code is bundled.
    packages: "external",
    sourcemap: "inline",
    // Where the bundle goes: the source map names each module's file from there.
    outfile: bundlePath,
    write: false,
    metafile: true,
    logLevel: "silent",
    // Replaces the expression only, never the same text in a string or a comment; each module
    // declares the name with its own file's URL (see ownImportMetaUrl).
    define: { "import.meta.url": "__workbook_import_meta_url" },
    plugins: [ownImportMetaUrl()],
  });
  const inputs = {};
  for (const input of Object.keys(result.metafile.inputs)) {
    const path = resolve(input);
    inputs[path] = stampOf(path);
  }
  mkdirSync(launchFolder, { recursive: true });
  forgetRemovedCheckouts();
  // Written beside and renamed into place, so a launch running at the same time never reads half a file.
  const scratch = `${bundlePath}.${process.pid}.tmp`;
  writeFileSync(scratch, result.outputFiles[0].contents);
  renameSync(scratch, bundlePath);
  writeFileSync(`${manifestPath}.${process.pid}.tmp`, JSON.stringify({ entry: entryPath, inputs }));
  renameSync(`${manifestPath}.${process.pid}.tmp`, manifestPath);
  return bundlePath;
}

/** Gives each bundled module its own file's URL as `import.meta.url`. */
function ownImportMetaUrl() {
  return {
    name: "own-import-meta-url",
    setup(build) {
      build.onLoad({ filter: /\.[mc]?ts$/ }, (args) => {
        const source = readFileSync(args.path, "utf8");
        if (!source.includes("import.meta.url")) return undefined;
        // On the first line, so that every line keeps its number in stack traces.
        const declaration = `var __workbook_import_meta_url = ${JSON.stringify(pathToFileURL(args.path).href)}; `;
        return { contents: `${declaration}${source}`, loader: "ts" };
      });
    },
  };
}

/** Bundles of checkouts that no longer exist (the tests' throwaway clones) are deleted. */
function forgetRemovedCheckouts() {
  for (const file of readdirSync(launchFolder)) {
    if (!file.endsWith(".json")) continue;
    try {
      const { entry: built } = JSON.parse(readFileSync(join(launchFolder, file), "utf8"));
      if (existsSync(built)) continue;
    } catch {
      // A manifest being written, or from another version: leave it.
      continue;
    }
    rmSync(join(launchFolder, file), { force: true });
    rmSync(join(launchFolder, file.replace(/\.json$/, ".mjs")), { force: true });
  }
}

/** The workbook's root folder: this file is harness/start.mjs. */
function repositoryRoot() {
  return resolve(dirname(fileURLToPath(import.meta.url)), "..");
}
