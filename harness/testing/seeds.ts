import { writeFileSync } from "node:fs";
import { expect } from "vitest";
import { exerciseForTestFile, loadCatalog, type Chapter } from "../workbook/catalog.js";
import { announceRunning } from "../workbook/running-channel.js";
import { NondeterminismError } from "../simulation/errors.js";
import { observeSimulations, type Simulation } from "../simulation/simulation.js";
import { resetLoopGuard, startTimeBudget } from "../simulation/loop-guard.js";
import { formatTraceEvent } from "../simulation/trace.js";

/** More seeds than this is a mistake, not a sweep: it would run for hours. */
export const seedsMax = 100_000;

export interface SeedOptions {
  /** How many seeds to run, from 1 up. `--seeds N` on the command line overrides it. @default 20 */
  seeds?: number;
}

/**
 * Runs `body` once per seed, stopping at the first failure. The error then says which seed
 * failed and the one command that replays exactly that run; `--seed N` on the command line
 * runs only seed N, and `--seeds N` sweeps N seeds to hunt for a rare bug.
 *
 * @example
 * test("at most one leader per term", () => {
 *   forEachSeed((seed) => {
 *     const simulation = new Simulation<RaftMessage>({ seed, network: { lossRate: 0.1 } });
 *     ...
 *   });
 * });
 */
export function forEachSeed(body: (seed: number) => void, options: SeedOptions = {}): void {
  const { first, count } = seedsToRun(options.seeds ?? 20);
  const traceOut = process.env["WORKBOOK_TRACE_OUT"];
  const sweeping = process.env["WORKBOOK_SEEDS"] !== undefined;
  const state = expect.getState();
  // Seeds are made one at a time, and a passed seed's simulations are dropped at once, so a
  // sweep of any length holds one run in memory at a time.
  for (let index = 0; index < count; index++) {
    const seed = first + index;
    announceRunning({ file: state.testPath ?? "", test: state.currentTestName ?? "", seed });
    if (sweeping) startTimeBudget();
    const simulations = runSeed(body, seed, index, count, traceOut);
    // The check that cannot be dodged by name: the first seed, run again, must give the very
    // same events. Whatever reads the machine's clock or randomness, or keeps state outside the
    // nodes, shows up here however it was reached.
    if (index === 0 && simulations.length > 0 && traceOut === undefined) {
      const again = runSeed(body, seed, index, count, undefined, "run again");
      const difference = firstDifference(simulations, again);
      if (difference !== undefined)
        throw withReplay(new NondeterminismError(difference), seed, index, count, true);
    }
  }
}

/** Runs one seed, observing the simulations it creates; a failure gets the replay command. */
function runSeed(
  body: (seed: number) => void,
  seed: number,
  index: number,
  count: number,
  traceOut: string | undefined,
  again?: string,
): Simulation<unknown>[] {
  const simulations: Simulation<unknown>[] = [];
  observeSimulations((simulation) => simulations.push(simulation));
  resetLoopGuard(() => `in seed ${seed} of this test`);
  try {
    body(seed);
  } catch (error) {
    if (again !== undefined && error instanceof Error)
      error.message =
        `Seed ${seed} passed, then failed when ${again}: the same seed must give the same run. ` +
        `${nondeterminismAdvice}\n\n${error.message}`;
    throw withReplay(error, seed, index, count, simulations.length > 0);
  } finally {
    observeSimulations(undefined);
    if (traceOut !== undefined) writeTrace(traceOut, seed, simulations);
  }
  return simulations;
}

const nondeterminismAdvice =
  "Something outside the simulation changed it: real time or randomness (use context.now(), " +
  "context.monotonicNow(), context.random()), or state kept outside the nodes, such as a " +
  "variable at module level that carries over from one run to the next (keep state in each " +
  "node's fields; nodes share nothing but messages).";

/** Where two runs of the same seed first went different ways, or undefined if they did not. */
function firstDifference(
  first: Simulation<unknown>[],
  second: Simulation<unknown>[],
): string | undefined {
  const intro = (name: string) =>
    `The same seed, run twice, gave two different runs of simulation "${name}". ${nondeterminismAdvice}`;
  if (first.length !== second.length)
    return `${intro(first[0]?.name ?? "simulation")}\nThe first run created ${first.length} simulations, the second ${second.length}.`;
  for (const [position, one] of first.entries()) {
    const other = second[position]!;
    const a = one.trace();
    const b = other.trace();
    const length = Math.max(a.length, b.length);
    for (let event = 0; event < length; event++) {
      const left = a[event];
      const right = b[event];
      if (JSON.stringify(left) === JSON.stringify(right)) continue;
      const show = (trace: typeof left) =>
        trace === undefined ? "(no event)" : formatTraceEvent(trace);
      return `${intro(one.name)}\nThe first difference:\n  first run:  ${show(left)}\n  second run: ${show(right)}`;
    }
    if (one.steps !== other.steps || one.nowMs !== other.nowMs)
      return `${intro(one.name)}\nThe first run took ${one.steps} events to t=${one.nowMs}ms, the second ${other.steps} to t=${other.nowMs}ms.`;
  }
  return undefined;
}

function seedsToRun(defaultCount: number): { first: number; count: number } {
  const single = process.env["WORKBOOK_SEED"];
  if (single !== undefined && single !== "")
    return { first: wholeNumber("WORKBOOK_SEED (--seed)", single, 0), count: 1 };
  const requested = process.env["WORKBOOK_SEEDS"];
  const count =
    requested === undefined || requested === ""
      ? defaultCount
      : wholeNumber("WORKBOOK_SEEDS (--seeds)", requested, 1);
  if (count > seedsMax)
    throw new RangeError(
      `Expected WORKBOOK_SEEDS (--seeds) to be at most ${seedsMax.toLocaleString("en")}, got ${count}`,
    );
  return { first: 1, count };
}

/** A test that silently ran zero seeds would pass without checking anything. */
function wholeNumber(name: string, text: string, minimum: number): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < minimum) {
    throw new RangeError(`Expected ${name} to be a whole number >= ${minimum}, got "${text}"`);
  }
  return value;
}

/** Adds the exercise, the seed and the replay command to the failure, keeping its stack. */
function withReplay(
  error: unknown,
  seed: number,
  index: number,
  total: number,
  simulated: boolean,
): unknown {
  const failure = error instanceof Error ? error : new Error(String(error));
  const tried = total === 1 ? "" : ` (the ${ordinal(index + 1)} of ${total} seeds tried)`;
  const target = process.env["WORKBOOK_TARGET"] ?? "";
  if (target.startsWith("mutant:")) {
    // A mutant's run is replayed by its own command, which uses the same seeds.
    const name = target.slice("mutant:".length);
    failure.message += `\n\nMutant ${name} failed with seed ${seed}${tried}.\nReplay: npm run workbook -- mutant ${name}`;
    return failure;
  }
  const { exercise, command } = replayCommand(seed);
  // Only a run that simulated a network has events to show.
  const traceCommand = command.replace(" test ", " trace ");
  const trace = simulated
    ? `\nSee its events:        ${traceCommand} --text` +
      `\nOr draw them:          ${traceCommand} --html`
    : "";
  failure.message += `\n\n${exercise} failed with seed ${seed}${tried}.\nReplay just this run:  ${command}${trace}`;
  return failure;
}

/**
 * The catalog, read once per worker: every failing test names its exercise, and reading every
 * chapter's manifest and notes again for each was most of what an untouched stub's failure cost.
 * The chapter manifests do not change while tests run (watch mode re-runs keep the exercises).
 */
let catalogRead: Chapter[] | undefined;
function catalog(): Chapter[] {
  catalogRead ??= loadCatalog();
  return catalogRead;
}

/** The one command that reruns the current test with `seed`. */
export function replayCommand(seed: number): { exercise: string; command: string } {
  const state = expect.getState();
  const testPath = state.testPath ?? "";
  const fullName = state.currentTestName ?? "";
  const testTitle = fullName.split(" > ").at(-1);
  const found = exerciseForTestFile(catalog(), testPath);
  const target = process.env["WORKBOOK_TARGET"] === "solutions" ? " --solutions" : "";
  const which = found === undefined ? testPath : found.number;
  const testFilter = testTitle === undefined ? "" : ` --test ${shellQuote(testTitle)}`;
  return {
    exercise: found === undefined ? `This test` : `Exercise ${found.number} (${found.id})`,
    command: `npm run workbook -- test ${which} --seed ${seed}${target}${testFilter}`,
  };
}

function writeTrace(path: string, seed: number, simulations: Simulation<unknown>[]): void {
  const state = expect.getState();
  const document = {
    test: state.currentTestName ?? "",
    seed,
    runs: simulations.map((simulation) => simulation.traceDocument()),
  };
  writeFileSync(path, `${JSON.stringify(document, null, 2)}\n`);
}

function shellQuote(text: string): string {
  return /^[\w ,.:/()-]+$/.test(text) ? `"${text}"` : `'${text.replaceAll("'", "'\\''")}'`;
}

function ordinal(position: number): string {
  const suffix =
    position % 100 >= 11 && position % 100 <= 13
      ? "th"
      : (["th", "st", "nd", "rd"][position % 10] ?? "th");
  return `${position}${suffix}`;
}
