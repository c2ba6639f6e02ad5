import { existsSync, readFileSync } from "node:fs";
import { dirname, join, sep } from "node:path";
import type { Plugin } from "vitest/config";
import { repositoryRoot } from "./catalog.js";
import { insertLoopGuards } from "./loop-guard-transform.js";
import { applyMutant, type Mutant } from "./mutant.js";

const chaptersFolder = join(repositoryRoot, "chapters") + sep;
const solutionsFolder = join(repositoryRoot, "solutions") + sep;

/**
 * Tests are written once, against the learner's files: `import { LamportClock } from
 * "./lamport-clock.js"`. To run the same tests against the reference solutions, this plugin
 * sends every import that lands on a file in `chapters/` to its twin in `solutions/`, when the
 * twin exists. Test files and test helpers have no twin, so they stay where they are.
 */
export function useSolutions(): Plugin {
  return {
    name: "workbook:use-solutions",
    enforce: "pre",
    async resolveId(source, importer, options) {
      if (importer === undefined || !source.startsWith(".") || !importer.startsWith(chaptersFolder))
        return null;
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      // A learner's file that is missing still has its twin: --solutions works without it.
      const id = resolved?.id ?? join(dirname(importer), source).replace(/\.js$/, ".ts");
      if (!id.startsWith(chaptersFolder)) return null;
      const twin = solutionsFolder + id.slice(chaptersFolder.length);
      return existsSync(twin) ? twin : null;
    },
  };
}

/** Serves a reference solution with one mutant's mistake put back in. */
export function useMutant(name: string, chapterFolder: string, mutant: Mutant): Plugin {
  const target = join(solutionsFolder, chapterFolder, mutant.file);
  return {
    name: "workbook:use-mutant",
    enforce: "pre",
    load(id) {
      if (id !== target) return null;
      return applyMutant(readFileSync(target, "utf8"), mutant, name);
    },
  };
}

/** Makes infinite loops in exercise code fail instead of hang (see loop-guard-transform.ts). */
export function guardLoops(): Plugin {
  return {
    name: "workbook:guard-loops",
    enforce: "post",
    transform(code, id) {
      const isExerciseCode = id.startsWith(chaptersFolder) || id.startsWith(solutionsFolder);
      if (!isExerciseCode || id.endsWith(".test.ts")) return null;
      return insertLoopGuards(code, (text) => this.parse(text)) ?? null;
    },
  };
}
