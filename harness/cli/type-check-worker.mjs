// Type-checks the learner's files of the exercises being tested, in a worker thread beside the
// test run: only those files (and what they import), incrementally, so that a second run reuses
// the first one's work. Plain JavaScript, so the worker needs no TypeScript loader to start.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import module, { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { Script } from "node:vm";
import { parentPort, workerData } from "node:worker_threads";

const { root, files, buildInfo } = workerData;
const { ts, saveCompiled } = loadTypeScript();
const configPath = join(root, "tsconfig.json");
const config = ts.readConfigFile(configPath, ts.sys.readFile);
const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
const options = { ...parsed.options, incremental: true, tsBuildInfoFile: buildInfo, noEmit: true };
mkdirSync(dirname(buildInfo), { recursive: true });
const wanted = new Set(files.filter((file) => existsSync(file)));
const program = ts.createIncrementalProgram({ rootNames: [...wanted], options });
const diagnostics = [];
for (const file of wanted) {
  const source = program.getSourceFile(file);
  if (source === undefined) continue;
  diagnostics.push(
    ...program.getSyntacticDiagnostics(source),
    ...program.getSemanticDiagnostics(source),
  );
}
program.emit();
saveCompiled();
parentPort.postMessage(
  diagnostics.map((diagnostic) => {
    const text = ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n").split("\n")[0];
    if (diagnostic.file === undefined || diagnostic.start === undefined) return text;
    const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
    const path = relative(root, diagnostic.file.fileName).split("\\").join("/");
    return `${path}:${line + 1}:${character + 1}: ${text}`;
  }),
);

/**
 * TypeScript is one 9 MB script, and compiling it was a third of each check (0.3 s of 0.8 s on
 * an idle machine). Node 22.1 and later keep compiled code on disk themselves, once asked; on
 * older Nodes the script is compiled here with V8's code cache, kept in
 * node_modules/.cache/workbook/ and written after the check, so it holds the functions the check
 * itself compiled too. V8 refuses a cache from another version of itself or of TypeScript, and
 * the script is then compiled as if there were none.
 */
function loadTypeScript() {
  const require = createRequire(import.meta.url);
  const file = require.resolve("typescript");
  if (typeof module.enableCompileCache === "function") {
    // The folder harness/start.mjs gives it; asked here too, as this is a thread of its own.
    module.enableCompileCache(join(root, "node_modules", ".cache", "workbook", "compiled"));
    return { ts: require(file), saveCompiled: () => {} };
  }
  const { version } = require("typescript/package.json");
  const cacheFile = join(
    root,
    "node_modules",
    ".cache",
    "workbook",
    `typescript-${version}-node-${process.version}.codecache`,
  );
  const cachedData = existsSync(cacheFile) ? readFileSync(cacheFile) : undefined;
  const script = new Script(module.wrap(readFileSync(file, "utf8")), {
    filename: file,
    cachedData,
  });
  const exports = {};
  const scope = { exports };
  script.runInThisContext()(exports, createRequire(file), scope, file, dirname(file));
  const saveCompiled = () => {
    if (cachedData !== undefined && !script.cachedDataRejected) return;
    try {
      mkdirSync(dirname(cacheFile), { recursive: true });
      writeFileSync(`${cacheFile}.${process.pid}.tmp`, script.createCachedData());
      renameSync(`${cacheFile}.${process.pid}.tmp`, cacheFile);
    } catch {
      // A cache that cannot be written only means the next check compiles TypeScript again.
    }
  };
  return { ts: scope.exports, saveCompiled };
}
