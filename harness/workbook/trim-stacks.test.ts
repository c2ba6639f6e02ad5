import { describe, expect, test } from "vitest";
import { repositoryRoot } from "./catalog.js";
import { keepFrame, trimStack } from "./trim-stacks.js";

const root = "/home/learner/workbook";

function stackOf(...frames: string[]): string {
  return ["Error: TODO(exercise 1.1): tick", ...frames.map((frame) => `    at ${frame}`)].join(
    "\n",
  );
}

describe("a failed test's stack leaves the worker without frames no one reads", () => {
  test("frames of installed packages are dropped, in every project", () => {
    const packaged = "runTest (/w/node_modules/@vitest/runner/dist/index.js:1:2)";
    expect(keepFrame(`    at ${packaged}`, false, root), "against the solutions").toBe(false);
    expect(keepFrame(`    at ${packaged}`, true, root), "in the learner's view").toBe(false);
  });

  test("harness frames are dropped in the learner's view only", () => {
    const harness = `    at Simulation.step (${root}/harness/simulation/simulation.ts:10:5)`;
    expect(keepFrame(harness, true, root), "in the learner's view").toBe(false);
    expect(keepFrame(harness, false, root), "against the solutions").toBe(true);
  });

  test("the learner's and the tests' frames are kept", () => {
    for (const frame of [
      `    at LamportClock.tick (${root}/chapters/01-clocks/lamport-clock.ts:12:11)`,
      `    at ${root}/chapters/01-clocks/lamport-clock.test.ts:30:7`,
      // A folder of the learner's own that happens to be called harness is not the workbook's.
      `    at ${root}/chapters/harness/mine.ts:1:1`,
    ])
      expect(keepFrame(frame, true, root), frame).toBe(true);
  });

  test("Windows paths are recognised as well", () => {
    const windowsRoot = "C:\\Users\\learner\\workbook";
    expect(
      keepFrame(
        `    at step (${windowsRoot}\\harness\\simulation\\simulation.ts:1:2)`,
        true,
        windowsRoot,
      ),
    ).toBe(false);
    expect(
      keepFrame("    at x (C:\\w\\node_modules\\chai\\index.js:1:2)", false, windowsRoot),
    ).toBe(false);
  });

  test("the message, every line of it, stays; so does the cause, trimmed the same way", () => {
    const cause = {
      stack: stackOf("inner (/w/node_modules/chai/index.js:1:1)", "mine (/x/a.ts:1:1)"),
    };
    const error = {
      stack: `Error: two\nlines of message\n    at run (/w/node_modules/vitest/dist/x.js:1:1)\n    at mine (/x/a.ts:2:2)`,
      cause,
    };
    trimStack(error, true);
    expect(error.stack).toBe("Error: two\nlines of message\n    at mine (/x/a.ts:2:2)");
    expect(cause.stack).toBe(stackOf("mine (/x/a.ts:1:1)"));
  });

  test("an error that is its own cause, or has no stack, is left alone without looping", () => {
    const looped: { stack: string; cause?: unknown } = { stack: stackOf("mine (/x/a.ts:1:1)") };
    looped.cause = looped;
    trimStack(looped, true);
    expect(looped.stack).toBe(stackOf("mine (/x/a.ts:1:1)"));
    const plain = { message: "no stack" };
    trimStack(plain, true);
    expect(plain).toEqual({ message: "no stack" });
    trimStack("a thrown string", true);
  });

  test("the frames left are handed over parsed, as vitest would parse them itself", () => {
    const error: { stack: string; stacks?: unknown } = {
      stack: stackOf(
        `Module.__vite_ssr_import_2__.todo (${repositoryRoot}/harness/testing/todo.ts:20:9)`,
        `new LamportClock (file://${repositoryRoot}/chapters/01-clocks/lamport-clock.ts:12:11)`,
        "runTest (/w/node_modules/@vitest/runner/dist/index.js:1:2)",
        `async ${repositoryRoot}/chapters/01-clocks/lamport-clock.test.ts:30:7`,
      ),
    };
    trimStack(error, true);
    expect(error.stacks, "the learner's and the test's frames, file, line and column").toEqual([
      {
        method: "new LamportClock",
        file: `${repositoryRoot}/chapters/01-clocks/lamport-clock.ts`,
        line: 12,
        column: 11,
      },
      {
        method: "",
        file: `${repositoryRoot}/chapters/01-clocks/lamport-clock.test.ts`,
        line: 30,
        column: 7,
      },
    ]);
  });
});
