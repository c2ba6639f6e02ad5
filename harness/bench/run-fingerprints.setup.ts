import { appendFileSync } from "node:fs";
import { createHash, type Hash } from "node:crypto";
import { afterEach, beforeEach } from "vitest";
import { noPayload, TraceRecorder } from "../simulation/trace.js";

/**
 * Folds every event any simulation records, in every test, into one hash per test, and appends
 * `{ test, events, hash }` to the file named by WORKBOOK_FINGERPRINT_OUT after each test. The
 * trace recorder sees every event of a run, whatever it keeps, so a hash of what it is given is
 * a hash of the run.
 */
const out = process.env["WORKBOOK_FINGERPRINT_OUT"];
const patched = Symbol.for("workbook.fingerprint");
// One tally per thread: vitest may evaluate this file again for every test file, while the
// patched recorder (shared between files) keeps the closure of the first evaluation.
const tally = ((globalThis as Record<symbol, unknown>)[Symbol.for("workbook.fingerprint.tally")] ??=
  { hash: undefined, events: 0 }) as { hash: Hash | undefined; events: number };

type Add = TraceRecorder["add"];
const prototype = TraceRecorder.prototype as TraceRecorder & { [patched]?: true };
if (out !== undefined && prototype[patched] !== true) {
  prototype[patched] = true;
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const add = prototype.add;
  prototype.add = function (this: TraceRecorder, ...args: Parameters<Add>) {
    const [step, timeMs, kind, node, from, to, message, payload, detail] = args;
    if (tally.hash !== undefined) {
      tally.events++;
      const text = payload === noPayload ? message : JSON.stringify(payload);
      tally.hash.update(`${step}|${timeMs}|${kind}|${node}|${from}|${to}|${text}|${detail}\n`);
    }
    add.apply(this, args);
  };
}

beforeEach(() => {
  tally.hash = createHash("sha256");
  tally.events = 0;
});

afterEach((context) => {
  if (out === undefined || tally.hash === undefined) return;
  const file = context.task.file.name;
  const line = {
    test: `${file} > ${context.task.fullName}`,
    state: context.task.result?.state,
    events: tally.events,
    hash: tally.hash.digest("hex").slice(0, 16),
  };
  appendFileSync(out, `${JSON.stringify(line)}\n`);
  tally.hash = undefined;
});
