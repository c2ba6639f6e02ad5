import { repositoryRoot } from "./catalog.js";
import { exerciseFolders, toModuleId, withoutQuery } from "./exercise-paths.js";

/** What this file needs of the module runner's record of the modules a worker has evaluated. */
export interface EvaluatedModules {
  idToModuleMap: Map<string, unknown>;
  invalidateModule(node: unknown): void;
}

const chaptersFolder = exerciseFolders(repositoryRoot).chapters;

/**
 * The learner's project runs its test files one after another in a worker, sharing one copy
 * of the harness: a fresh worker for every file was most of what `npm start` cost. Each test
 * file must still start with fresh copies of the learner's modules, or a variable kept at
 * module level would carry from one file into the next, and a file's results would depend on
 * which files ran before it. So before each test file (the setup file runs first), every module
 * in chapters/ that earlier files evaluated is forgotten, and the next import evaluates it anew.
 * The harness's modules, which keep no state of their own, are kept.
 *
 * Vitest's own `vi.resetModules()` would forget the harness too, and the setup file's hooks
 * would then hold a different copy of it from the test's; so this reaches the worker's module
 * record itself (`__vitest_worker__.evaluatedModules`, Vite's EvaluatedModules), and says
 * plainly if a future vitest moves it.
 */
export function forgetChapterModules(
  modules: EvaluatedModules | undefined = workerModules(),
): number {
  if (modules === undefined || !(modules.idToModuleMap instanceof Map))
    throw new Error(
      "The workbook could not find vitest's record of evaluated modules (__vitest_worker__.evaluatedModules); " +
        "this vitest version needs harness/workbook/fresh-chapter-modules.ts updated.",
    );
  let forgotten = 0;
  for (const [id, node] of modules.idToModuleMap) {
    if (!toModuleId(withoutQuery(id)).startsWith(chaptersFolder)) continue;
    modules.invalidateModule(node);
    forgotten++;
  }
  return forgotten;
}

function workerModules(): EvaluatedModules | undefined {
  const worker = (globalThis as { __vitest_worker__?: { evaluatedModules?: EvaluatedModules } })
    .__vitest_worker__;
  return worker?.evaluatedModules;
}
