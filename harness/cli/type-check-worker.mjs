// Type-checks the learner's files of the exercises being tested, in a worker thread beside the
// test run: only those files (and what they import), incrementally, so that a second run reuses
// the first one's work. Plain JavaScript, so the worker needs no TypeScript loader to start.
import { existsSync, mkdirSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { parentPort, workerData } from "node:worker_threads";
import ts from "typescript";

const { root, files, buildInfo } = workerData;
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
parentPort.postMessage(
  diagnostics.map((diagnostic) => {
    const text = ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n").split("\n")[0];
    if (diagnostic.file === undefined || diagnostic.start === undefined) return text;
    const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
    const path = relative(root, diagnostic.file.fileName).split("\\").join("/");
    return `${path}:${line + 1}:${character + 1}: ${text}`;
  }),
);
