import { parseStacktrace } from "@vitest/utils/source-map";
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
 * - The error's `stacks`, the frames as objects, which vitest fills in on its main thread when
 *   they are missing, are filled in here.
 */
export function trimStack(error: unknown, learner: boolean, seen = new Set<unknown>()): void {
  if (typeof error !== "object" || error === null || seen.has(error)) return;
  const top = seen.size === 0;
  seen.add(error);
  const withStack = error as { stack?: unknown; stacks?: unknown; cause?: unknown };
  if (typeof withStack.stack === "string") {
    const trimmed = withStack.stack
      .split("\n")
      .filter((line) => !isFrame(line) || keepFrame(line, learner))
      .join("\n");
    withStack.stack = trimmed;
    // The frames that are left, parsed here by vitest's own parser, so that its main thread,
    // finding them parsed, does not read each one's file: the module runner has already put
    // every frame at its line in the TypeScript, where no source map is to be found.
    if (top) withStack.stacks = parseStacktrace(trimmed);
  }
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
