import { afterAll, beforeAll, describe } from "vitest";

/**
 * One mutant's check, as its file runs in the "mutants" project (see `runMutants` in
 * vitest-plugins.ts): a suite named for the mutant that holds its exercise's tests, imported
 * with the mistake in place. The project's test name pattern keeps only the test that must
 * catch it.
 *
 * A mutant whose text no longer applies makes the import throw; the suite then fails with that
 * error, so `npm test` names the mutant and says what to update rather than passing quietly.
 */
export function checkMutant(name: string, importTests: () => Promise<unknown>): void {
  describe(name, async () => {
    // The seed runner reads the target at failure time to print the mutant's replay command.
    let previous: string | undefined;
    beforeAll(() => {
      previous = process.env["WORKBOOK_TARGET"];
      process.env["WORKBOOK_TARGET"] = `mutant:${name}`;
    });
    afterAll(() => {
      if (previous === undefined) delete process.env["WORKBOOK_TARGET"];
      else process.env["WORKBOOK_TARGET"] = previous;
    });
    await importTests();
  });
}
