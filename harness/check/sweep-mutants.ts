import { readFileSync } from "node:fs";
import { join } from "node:path";
import { testFileOf } from "../cli/selection.js";
import { allExercises, loadCatalog, repositoryRoot } from "../workbook/catalog.js";
import { loadMutants, type MutantEntry } from "../workbook/mutants.js";
import { runVitest } from "../workbook/run-vitest.js";

/**
 * Finds, for every mutant, the first seed at which the test named to catch it fails, over a
 * sweep of many seeds, and prints the table that chapters keep in solutions/<chapter>/mutants/
 * README.md. A mutant whose first failing seed is above its test's default seed count survives
 * `workbook test`: raise the default, or write a test that catches it sooner.
 *
 *   npx tsx harness/check/sweep-mutants.ts [chapter-folder-or-mutant …] [--seeds 1000]
 *
 * With no names it sweeps every mutant. Each mutant runs only its catching test (as in npm test),
 * and a seed loop stops at the first failure, so a mutant that dies at seed 3 costs three seeds.
 */

interface Row {
  mutant: string;
  test: string;
  /** The first failing seed; 0 for a test that fails without seeds; undefined if none failed. */
  firstFailingSeed: number | undefined;
  defaultSeeds: number | undefined;
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  let seeds = 1_000;
  const names: string[] = [];
  for (let index = 0; index < args.length; index++) {
    if (args[index] === "--seeds") seeds = Number(args[++index]);
    else names.push(args[index]!);
  }
  if (!Number.isSafeInteger(seeds) || seeds < 1)
    throw new RangeError(`Expected --seeds to be a whole number >= 1, got ${seeds}`);
  const all = await loadMutants();
  const chosen = all.filter(
    (entry) =>
      names.length === 0 ||
      names.some(
        (name) =>
          entry.name === name || entry.chapterFolder === name || entry.name.endsWith(`/${name}`),
      ),
  );
  if (chosen.length === 0) throw new Error(`No mutant matches ${names.join(", ")}`);

  process.stderr.write(`Sweeping ${chosen.length} mutants over ${seeds} seeds each…\n`);
  const result = await runVitest({
    projects: ["mutants"],
    files: chosen.map((entry) => entry.file),
    env: { WORKBOOK_MUTANTS: "1", WORKBOOK_SEEDS: String(seeds) },
    output: "quiet",
    timeoutMs: 60 * 60_000,
  });
  const rows = chosen.map((entry): Row => {
    const outcome = result.outcomes.find(
      (each) => each.file === entry.file && each.name === entry.mutant.caughtBy.test,
    );
    let firstFailingSeed: number | undefined;
    if (outcome?.state === "failed") {
      const seed = /failed with seed (\d+)/.exec(outcome.errors.join("\n"))?.[1];
      firstFailingSeed = seed === undefined ? 0 : Number(seed);
    }
    return {
      mutant: entry.name.split("/")[1]!,
      test: entry.mutant.caughtBy.test,
      firstFailingSeed,
      defaultSeeds: defaultSeedsOf(entry),
    };
  });
  process.stdout.write(table(rows, seeds));
  const survivors = rows.filter(
    (row) =>
      row.firstFailingSeed === undefined ||
      (row.defaultSeeds !== undefined && row.firstFailingSeed > row.defaultSeeds),
  );
  if (survivors.length > 0)
    process.stderr.write(
      `\n${survivors.length} mutants survive the default seed count: ${survivors.map((row) => row.mutant).join(", ")}\n`,
    );
  return survivors.length > 0 ? 1 : 0;
}

/**
 * The seed count the catching test runs by default, read from its source: the `seeds` option
 * of its forEachSeed, 20 when it gives none, undefined for a test without seeds.
 */
function defaultSeedsOf(entry: MutantEntry): number | undefined {
  const exercise = allExercises(loadCatalog()).find(
    (candidate) => candidate.id === entry.mutant.caughtBy.exercise,
  );
  if (exercise === undefined) return undefined;
  const source = readFileSync(join(repositoryRoot, testFileOf(exercise)), "utf8");
  const start = source.indexOf(JSON.stringify(entry.mutant.caughtBy.test));
  if (start === -1) return undefined;
  const next = source.indexOf("\n  test(", start);
  const body = source.slice(start, next === -1 ? undefined : next);
  if (body.includes("forEachSeed(")) return seedsOption(body);
  // A test may run its seeds through a helper of the file, such as forRandomClocks(…).
  for (const helper of source.matchAll(/\nfunction (\w+)\(/g)) {
    if (!body.includes(`${helper[1]}(`)) continue;
    const end = source.indexOf("\n}\n", helper.index);
    const helperBody = source.slice(helper.index, end === -1 ? undefined : end);
    if (helperBody.includes("forEachSeed(")) return seedsOption(helperBody);
  }
  return undefined;
}

/** The `{ seeds: N }` given to forEachSeed in `code`, or forEachSeed's default of 20. */
function seedsOption(code: string): number {
  const option = /seeds: ([\d_]+) \}/.exec(code)?.[1];
  return option === undefined ? 20 : Number(option.replaceAll("_", ""));
}

function table(rows: Row[], seeds: number): string {
  const lines = [
    `| mutant | caught by | first failing seed (of ${seeds.toLocaleString("en")}) | default seeds |`,
    "| --- | --- | --- | --- |",
  ];
  for (const row of rows) {
    const first =
      row.firstFailingSeed === undefined
        ? "**survives**"
        : row.firstFailingSeed === 0
          ? "every run (no seeds)"
          : String(row.firstFailingSeed);
    lines.push(
      `| ${row.mutant} | ${row.test.replaceAll("|", "\\|")} | ${first} | ${row.defaultSeeds ?? "—"} |`,
    );
  }
  return `${lines.join("\n")}\n`;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
