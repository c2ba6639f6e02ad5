import { allExercises, type Chapter } from "../workbook/catalog.js";
import { loadMutants, type MutantEntry } from "../workbook/mutants.js";
import { runVitest } from "../workbook/run-vitest.js";
import { UsageError, type Selection } from "./selection.js";
import { style } from "./style.js";
import { didYouMean } from "./suggest.js";

/**
 * `workbook mutants` lists the classic mistakes kept beside the solutions; `workbook mutant
 * <name>` runs the test that catches one, so a learner can see what that mistake looks like
 * when it fails, before (or after) making it themselves.
 */
export async function listMutants(catalog: Chapter[], selection: Selection): Promise<number> {
  const mutants = await loadMutants();
  const lines: string[] = [];
  for (const exercise of selection.exercises) {
    const own = mutants.filter((entry) => entry.mutant.caughtBy.exercise === exercise.id);
    if (own.length === 0) continue;
    lines.push(style.bold(`${exercise.number} ${exercise.title}`));
    for (const { name, mutant } of own) {
      lines.push(`  ${name.split("/")[1]!.padEnd(40)} ${mutant.mistake}`);
      lines.push(style.dim(`  ${"".padEnd(40)} caught by "${mutant.caughtBy.test}"`));
    }
    lines.push("");
  }
  if (lines.length === 0) lines.push(`No mutants for ${selection.label}.`, "");
  lines.push(
    style.dim(
      `See one fail: npm run workbook -- mutant <name>   (${allExercises(catalog).length} exercises, ${mutants.length} mutants)`,
    ),
  );
  process.stdout.write(`${lines.join("\n")}\n`);
  return 0;
}

/** Seeds for the run: WORKBOOK_SEED and WORKBOOK_SEEDS, as `test --seed` and `--seeds` set them. */
export interface MutantRunOptions {
  seed?: number;
  seeds?: number;
}

export async function runMutant(name: string, options: MutantRunOptions = {}): Promise<number> {
  const mutants = await loadMutants();
  const entry = findMutant(mutants, name);
  process.stdout.write(
    `${style.bold(`Mutant ${entry.name}`)}: ${entry.mutant.mistake}.\n` +
      style.dim(`It changes solutions/${entry.chapterFolder}/${entry.mutant.file}:\n`) +
      entry.mutant.changes
        .map(
          (change) =>
            style.red(indent(`- ${change.find}`)) +
            "\n" +
            style.green(indent(`+ ${change.replace}`)),
        )
        .join("\n") +
      `\n${style.dim(`The test "${entry.mutant.caughtBy.test}" should fail below, and say why.`)}\n`,
  );
  const result = await runVitest({
    projects: ["mutants"],
    files: [entry.file],
    env: {
      WORKBOOK_MUTANTS: "1",
      ...(options.seed === undefined ? {} : { WORKBOOK_SEED: String(options.seed) }),
      ...(options.seeds === undefined ? {} : { WORKBOOK_SEEDS: String(options.seeds) }),
    },
    output: "verbose",
  });
  const caught = result.outcomes.some(
    (outcome) =>
      outcome.file === entry.file &&
      outcome.name === entry.mutant.caughtBy.test &&
      outcome.state === "failed",
  );
  process.stdout.write(
    caught
      ? style.green("\n✔ The suite catches this mistake.\n")
      : style.red("\n✘ The suite did not catch this mistake.\n"),
  );
  return caught ? 0 : 1;
}

function findMutant(mutants: MutantEntry[], name: string): MutantEntry {
  const matches = mutants.filter((entry) => entry.name === name || entry.name.endsWith(`/${name}`));
  if (matches.length === 1) return matches[0]!;
  const names = mutants.map((entry) => `  ${entry.name}`).join("\n");
  const problem =
    matches.length === 0
      ? `There is no mutant called "${name}".${didYouMean(
          name,
          mutants.map((entry) => entry.name.split("/")[1]!),
        )}`
      : `"${name}" names ${matches.length} mutants; add the chapter folder.`;
  throw new UsageError(`${problem} The mutants are:\n${names}`);
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((line) => `    ${line}`)
    .join("\n");
}
