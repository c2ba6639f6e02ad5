import { escapeRegExp } from "../workbook/escape-regexp.js";
import type { RunOutcome } from "../workbook/results-reporter.js";
import { runVitest } from "../workbook/run-vitest.js";
import type { ExerciseVerdict } from "./report.js";
import { testFileOf } from "./selection.js";
import { style } from "./style.js";

/**
 * A replay must reproduce. When a test failed at a later seed of its sweep, that seed is run
 * again alone, in a fresh process, before the replay command is trusted: if it passes there, the
 * failure came from state left behind by earlier seeds, which lives outside the nodes (a
 * variable at module level), and the learner is told so plainly.
 */
export async function rerunAlone(
  verdict: ExerciseVerdict,
  run: RunOutcome,
): Promise<string[] | undefined> {
  for (const failure of verdict.failures) {
    const found = /failed with seed (\d+) \(the (\d+)\w* of \d+ seeds tried\)/.exec(
      failure.errors[0] ?? "",
    );
    if (found === null || Number(found[2]) === 1) continue;
    const seed = Number(found[1]);
    const alone = await runVitest({
      projects: [failure.project],
      files: [testFileOf(verdict.exercise)],
      testNamePattern: `${escapeRegExp(failure.name)}$`,
      env: { WORKBOOK_SEED: String(seed) },
      output: "quiet",
      timeoutMs: 30_000,
    });
    const again = alone.outcomes.find((outcome) => outcome.name === failure.name);
    if (again?.state !== "passed") return undefined;
    void run;
    return [
      style.yellow(
        `Seed ${seed} passes when run alone, but failed after ${Number(found[2]) - 1} earlier seeds in the same run.`,
      ),
      "Your code keeps state outside its nodes: a variable at module level, shared by every node",
      "and carried from one run to the next. Nodes may share nothing but messages; keep state in",
      "each node's fields. Until then the replay command may not reproduce the failure.",
    ];
  }
  return undefined;
}
