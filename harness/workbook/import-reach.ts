import { existsSync, readFileSync } from "node:fs";
import nodePath from "node:path";
import { solutionTwin, toModuleId, withoutQuery, type ExerciseFolders } from "./exercise-paths.js";

/**
 * Which exercise modules reach a given module through their imports, read from their text:
 * the mutants project gives a mutant its own copy only of the modules that reach the file with
 * the mistake (the test file, the solution, helpers that build on it) and lets every mutant
 * share the rest (a chapter's message types, its checkers), as the solutions project shares all.
 *
 * An import is followed the way the mutants project resolves it: relative, `.js` written for
 * the `.ts` file, and from chapters/ to the solution's twin where there is one. Every
 * `from "./…"`, `import "./…"` and `import("./…")` counts, type-only ones and ones in comments
 * too: a module counted that does not need its own copy costs a little time, while one missed
 * would leave a mutant's test running the solution without the mistake, and `npm test` would
 * report the mutant as not caught.
 */
export class ImportReach {
  readonly #folders: ExerciseFolders;
  readonly #path: typeof nodePath;
  readonly #imports = new Map<string, string[]>();
  readonly #answers = new Map<string, boolean>();

  constructor(folders: ExerciseFolders, path = nodePath) {
    this.#folders = folders;
    this.#path = path;
  }

  /** Whether `from` is `target` or imports it, directly or through other exercise modules. */
  reaches(from: string, target: string): boolean {
    const start = toModuleId(withoutQuery(from), this.#path);
    const goal = toModuleId(withoutQuery(target), this.#path);
    const key = `${goal}\n${start}`;
    let answer = this.#answers.get(key);
    if (answer === undefined) {
      answer = this.#search(start, goal);
      this.#answers.set(key, answer);
    }
    return answer;
  }

  /** A depth-first walk of everything `start` imports, each module once, looking for `goal`. */
  #search(start: string, goal: string): boolean {
    const seen = new Set<string>();
    const visit = (file: string): boolean => {
      if (file === goal) return true;
      if (seen.has(file)) return false;
      seen.add(file);
      return this.importsOf(file).some(visit);
    };
    return visit(start);
  }

  /** The exercise modules `file` imports, as module ids. */
  importsOf(file: string): string[] {
    const known = this.#imports.get(file);
    if (known !== undefined) return known;
    const found: string[] = [];
    const text = existsSync(file) ? readFileSync(file, "utf8") : "";
    for (const match of text.matchAll(/(?:\bfrom|\bimport)\s*\(?\s*["'](\.{1,2}\/[^"']+)["']/g)) {
      const target = this.#resolve(match[1]!, file);
      if (target !== undefined && !found.includes(target)) found.push(target);
    }
    this.#imports.set(file, found);
    return found;
  }

  #resolve(specifier: string, importer: string): string | undefined {
    const path = this.#path;
    const file = toModuleId(
      path.resolve(path.dirname(importer), specifier).replace(/\.js$/, ".ts"),
      path,
    );
    const { chapters, solutions } = this.#folders;
    if (!file.startsWith(chapters) && !file.startsWith(solutions)) return undefined;
    const twin = solutionTwin(file, this.#folders);
    return twin !== undefined && twin !== importer && existsSync(twin) ? twin : file;
  }
}
