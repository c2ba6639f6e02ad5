import { repositoryRoot } from "./catalog.js";

/**
 * Which frames of a failed test's stack leave its worker. For every frame of every error,
 * vitest's main thread looks for a source map by reading that frame's file and scanning all of
 * it with two regular expressions, and it remembers nothing from one error to the next. On the
 * untouched stubs, 380 failing tests sent about 1,500 frames of harness/simulation/simulation.ts
 * (40 kB) and many more of vitest's runner: about a second of the main thread, most of what
 * `npm start` cost beyond running the tests.
 *
 * - Frames of installed packages (vitest's runner, chai) are always dropped: vitest hides them
 *   when it prints a stack, and they say nothing about the code under test.
 * - In the learner's view (`learner`), the harness's frames are dropped too: the workbook's
 *   report never shows them, only the learner's and the test's lines. Against the solutions and
 *   in the harness's own tests they are kept, for whoever is debugging the harness.
 */
export function trimStack(error: unknown, learner: boolean, seen = new Set<unknown>()): void {
  if (typeof error !== "object" || error === null || seen.has(error)) return;
  seen.add(error);
  const withStack = error as { stack?: unknown; cause?: unknown };
  if (typeof withStack.stack === "string")
    withStack.stack = withStack.stack
      .split("\n")
      .filter((line) => !isFrame(line) || keepFrame(line, learner))
      .join("\n");
  trimStack(withStack.cause, learner, seen);
}

/** Whether a frame (`    at name (/path/file.ts:1:2)`) stays in the stack. */
export function keepFrame(frame: string, learner: boolean, root = repositoryRoot): boolean {
  const line = frame.replaceAll("\\", "/");
  if (line.includes("/node_modules/")) return false;
  return !(learner && line.includes(`${root.replaceAll("\\", "/")}/harness/`));
}

function isFrame(line: string): boolean {
  return line.trimStart().startsWith("at ");
}
