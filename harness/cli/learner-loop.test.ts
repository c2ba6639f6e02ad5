import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { learnerRepository, type LearnerRepository } from "./learner-repository.js";

/**
 * The learner's loop, driven through the real CLI on a throwaway clone: each test puts a
 * solution with a bug in it where the learner's file goes, runs `workbook …` as a learner
 * would, and checks what they are told. See harness/cli/learner-repository.ts.
 */
let repository: LearnerRepository;

beforeAll(() => {
  repository = learnerRepository();
  // Causal broadcast (1.3) builds on the vector clock (1.2).
  repository.solveWithBug("01-clocks/vector-clock.ts");
});

afterAll(() => repository?.remove());

const slow = { timeout: 180_000 };

describe("the learner's loop", () => {
  test(
    "console.log in a node handler is shown, labelled with the node and simulated time",
    slow,
    () => {
      repository.solveWithBug("01-clocks/causal-broadcast.ts", [
        {
          find: "  onMessage(from: NodeId, message: CausalMessage): void {",
          replace:
            '  onMessage(from: NodeId, message: CausalMessage): void {\n    console.log("heard from", from);',
        },
      ]);
      const run = repository.workbook(["test", "1.3"]);
      expect(run.output, "what the learner saw").toMatch(/\[n2 t=5ms\] heard from n1/);
      expect(run.exitCode, "the exercise still passes").toBe(0);
    },
  );
});
