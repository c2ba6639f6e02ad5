import { writeFileSync } from "node:fs";
import { expect } from "vitest";
import { exerciseForTestFile, loadCatalog } from "../workbook/catalog.js";
import { observeSimulations, type Simulation } from "../simulation/simulation.js";
import { resetLoopGuard } from "../simulation/loop-guard.js";

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
  const seeds = seedsToRun(options.seeds ?? 20);
  const traceOut = process.env["WORKBOOK_TRACE_OUT"];
  for (const [index, seed] of seeds.entries()) {
    const simulations: Simulation<unknown>[] = [];
    observeSimulations((simulation) => simulations.push(simulation));
    resetLoopGuard(() => `in seed ${seed} of this test`);
    try {
      body(seed);
    } catch (error) {
      throw withReplay(error, seed, index, seeds.length, simulations.length > 0);
    } finally {
      observeSimulations(undefined);
      if (traceOut !== undefined) writeTrace(traceOut, seed, simulations);
    }
  }
}

function seedsToRun(defaultCount: number): number[] {
  const single = process.env["WORKBOOK_SEED"];
  if (single !== undefined && single !== "")
    return [wholeNumber("WORKBOOK_SEED (--seed)", single, 0)];
  const requested = process.env["WORKBOOK_SEEDS"];
  const count =
    requested === undefined || requested === ""
      ? defaultCount
      : wholeNumber("WORKBOOK_SEEDS (--seeds)", requested, 1);
  return Array.from({ length: count }, (_, index) => index + 1);
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
  const trace = simulated
    ? `\nSee its events:        ${command.replace(" test ", " trace ")} --text`
    : "";
  failure.message += `\n\n${exercise} failed with seed ${seed}${tried}.\nReplay just this run:  ${command}${trace}`;
  return failure;
}

/** The one command that reruns the current test with `seed`. */
export function replayCommand(seed: number): { exercise: string; command: string } {
  const state = expect.getState();
  const testPath = state.testPath ?? "";
  const fullName = state.currentTestName ?? "";
  const testTitle = fullName.split(" > ").at(-1);
  const found = exerciseForTestFile(loadCatalog(), testPath);
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
