/**
 * A mutant is a reference solution with one classic mistake put back in. The project's own
 * tests run each mutant against its exercise's suite and insist that the test named for that
 * mistake fails: a suite that stops catching a classic bug turns CI red.
 *
 * A mutant is written as a small text replacement rather than a second copy of the solution,
 * so the mistake is visible at a glance and the mutant follows the solution as it changes.
 */
export interface Mutant {
  /** The mistake, in a sentence a learner would recognise. */
  mistake: string;
  /** The solution file to change, relative to the chapter folder, such as "lamport-clock.ts". */
  file: string;
  /** Each `find` must occur exactly once in the file; it is replaced by `replace`. */
  changes: Array<{ find: string; replace: string }>;
  /** The test that must fail on this mutant: the exercise id and the test's exact name. */
  caughtBy: { exercise: string; test: string };
}

/** Declares a mutant; `export default mutant({...})` in `solutions/<chapter>/mutants/<name>.ts`. */
export function mutant(definition: Mutant): Mutant {
  return definition;
}

/** Applies a mutant's changes to the solution's source, failing loudly if one no longer applies. */
export function applyMutant(source: string, definition: Mutant, name: string): string {
  let result = source;
  for (const { find, replace } of definition.changes) {
    const first = result.indexOf(find);
    if (first === -1 || result.indexOf(find, first + 1) !== -1) {
      const count = first === -1 ? "not found" : "found more than once";
      throw new Error(
        `Mutant ${name} no longer applies to ${definition.file}: the text to replace was ${count}:\n${find}\n` +
          `Update the mutant to match the solution (it must change exactly one place).`,
      );
    }
    result = result.slice(0, first) + replace + result.slice(first + find.length);
  }
  return result;
}
