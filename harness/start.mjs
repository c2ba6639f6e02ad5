// Starts a TypeScript entry point of the workbook: `node harness/start.mjs harness/cli/main.ts …`.
//
// tsx compiles the workbook's own TypeScript, but only inside its namespace: vitest's hundreds
// of modules load natively, in parallel with that compilation, instead of each passing through
// tsx's loader (about four times slower). This saves two Node start-ups over `tsx <file>`
// spawning vitest, and seconds over `node --import tsx`.
import { register } from "tsx/esm/api";

const [entry, ...rest] = process.argv.slice(2);
if (entry === undefined) {
  process.stderr.write("Usage: node harness/start.mjs <file.ts> [arguments]\n");
  process.exit(2);
}
globalThis[Symbol.for("workbook.vitest")] = import("vitest/node");
// A rejected preload is reported where it is awaited, not here.
globalThis[Symbol.for("workbook.vitest")].catch(() => {});
process.argv = [process.argv[0], entry, ...rest];
await register({ namespace: "workbook" }).import(
  new URL(entry, `file://${process.cwd()}/`).href,
  import.meta.url,
);
