import { existsSync, readFileSync } from "node:fs";
import nodePath, { dirname, join } from "node:path";
import type { Plugin } from "vitest/config";
import { repositoryRoot } from "./catalog.js";
import {
  exerciseFolders,
  isExerciseCode,
  solutionFile,
  solutionTwin,
  toModuleId,
  withoutQuery,
  type ExerciseFolders,
} from "./exercise-paths.js";
import { ImportReach } from "./import-reach.js";
import { insertLoopGuards } from "./loop-guard-transform.js";
import { applyMutant } from "./mutant.js";
import type { MutantEntry } from "./mutants.js";

const folders = exerciseFolders(repositoryRoot);

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
      if (
        importer === undefined ||
        !source.startsWith(".") ||
        solutionTwin(importer, folders) === undefined
      )
        return null;
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      // A learner's file that is missing still has its twin: --solutions works without it.
      const id = resolved?.id ?? join(dirname(importer), source).replace(/\.js$/, ".ts");
      const twin = solutionTwin(id, folders);
      return twin !== undefined && existsSync(twin) ? twin : null;
    },
  };
}

/**
 * Runs every mutant in one project, which is what keeps `npm test` fast as mutants multiply:
 * the harness is transformed once and, with `isolate: false`, imported once per worker, rather
 * than once per mutant.
 *
 * Each mutant's own file (`solutions/<chapter>/mutants/<name>.ts`) is the test file. Served in
 * this project, it imports its exercise's test file again with `?mutant=<name>` on the id, and
 * that mark travels down the imports into chapters/ and solutions/ (sent to the solution twin,
 * as `useSolutions` does) of every module that reaches the solution file the mutant names,
 * which is served with the mistake put back in. Every other module, the harness and the
 * exercise modules that do not reach the mistake (see import-reach.ts), is imported without
 * the mark, so every mutant shares one copy of it; `useSolutions`, after this plugin, sends
 * the imports of those exercise modules to the solutions.
 */
export function runMutants(entries: MutantRun[]): Plugin {
  const byName = new Map(entries.map((entry) => [entry.name, entry]));
  const byFile = new Map(entries.map((entry) => [mutantFileId(folders, entry.name), entry]));
  const reach = new ImportReach(folders);
  return {
    name: "workbook:run-mutants",
    enforce: "pre",
    // A module marked with a mutant is its file with the mistake put in: vitest's module cache
    // keys it by the file's content, so the mistake (the mutant's own file) joins the key, and
    // a mutant edited is never served as it was.
    configureVitest({ experimental_defineCacheKeyGenerator }) {
      experimental_defineCacheKeyGenerator(({ id }) => {
        const name = mutantOf(id);
        return name === undefined ? "" : readFileSync(mutantFileId(folders, name), "utf8");
      });
    },
    async resolveId(source, importer, options) {
      if (importer === undefined || !source.startsWith(".")) return null;
      const name = mutantOf(importer);
      if (name === undefined) return null;
      const resolved = await this.resolve(source, withoutQuery(importer), {
        ...options,
        skipSelf: true,
      });
      if (resolved === null) return null;
      const file = withoutQuery(resolved.id);
      const twin = solutionTwin(file, folders);
      // A solution twin that re-exports its chapter file (solutions/06-…/hash.ts) must reach
      // that file, not itself: sent back to its twin, it would import only itself, and export
      // nothing.
      const importerFile = withoutQuery(importer);
      const target = twin !== undefined && existsSync(twin) && twin !== importerFile ? twin : file;
      if (!isInExerciseFolder(target, folders)) return null;
      // Only what reaches the mistake needs the mutant's own copy; the rest is shared, and its
      // imports go to the solutions as in the solutions project (useSolutions, after this).
      const mutant = byName.get(name);
      const mistaken =
        mutant === undefined ||
        reach.reaches(target, solutionFile(folders, mutant.chapterFolder, mutant.mutant.file));
      return mistaken ? withMutant(target, name) : target;
    },
    load(id) {
      const file = toModuleId(withoutQuery(id));
      const entry = byFile.get(file);
      if (entry !== undefined && mutantOf(id) === undefined) return mutantCheckModule(entry);
      const name = mutantOf(id);
      if (name === undefined) return null;
      const mutant = byName.get(name);
      if (mutant === undefined) throw new Error(`No mutant is called ${name}`);
      const source = readFileSync(file, "utf8");
      const target = solutionFile(folders, mutant.chapterFolder, mutant.mutant.file);
      return file === target ? applyMutant(source, mutant.mutant, name) : source;
    },
  };
}

/** A mutant, and the absolute path of the test file whose test must catch it. */
export type MutantRun = MutantEntry & { testFile: string };

/**
 * Makes infinite loops in exercise code fail instead of hang (see loop-guard-transform.ts).
 * The mutants project serves the same file once per mutant, so results are remembered by the
 * code they were made from: the same code gets the same guards.
 */
export function guardLoops(): Plugin {
  const guarded = new Map<string, ReturnType<typeof insertLoopGuards> | null>();
  return {
    name: "workbook:guard-loops",
    enforce: "post",
    transform(code, id) {
      if (!isExerciseCode(id, folders)) return null;
      let result = guarded.get(code);
      if (result === undefined) {
        result = insertLoopGuards(code, (text) => this.parse(text)) ?? null;
        guarded.set(code, result);
      }
      return result;
    },
  };
}

/**
 * On a run that starts with vitest's module cache empty (a fresh clone, or after `npm ci`),
 * every module is transformed on vitest's main thread as the workers ask for it, and a worker
 * asks for a module's imports only once it has the module and starts evaluating it: along every
 * chain of imports, each side waits for the other. So on such a run, this plugin sends the
 * imports of each module it sees transformed to be transformed straight away, and they are ready,
 * or under way, when the worker asks (vite gives both the same transform).
 *
 * With a cache it does nothing: the module transformed then is one that changed (the learner's
 * edit), whose imports are still cached, and transforming them again would be waste.
 */
export function transformAhead(cacheFolder: string): Plugin {
  const fresh = !existsSync(cacheFolder);
  return {
    name: "workbook:transform-ahead",
    enforce: "post",
    transform(code, id) {
      if (!fresh || id.includes("/node_modules/")) return null;
      const environment = this.environment as Partial<TransformingEnvironment>;
      if (environment.transformRequest === undefined) return null;
      const transform = environment.transformRequest.bind(environment);
      // After TypeScript is stripped: type-only imports are gone, and what is left is run.
      for (const match of code.matchAll(/^(?:import|export)\b[^;]*?["'](\.{1,2}\/[^"']+)["']/gm)) {
        this.resolve(match[1]!, id)
          .then((resolved) => {
            if (resolved === null || (resolved.external ?? false) !== false) return;
            return transform(urlOf(resolved.id, environment.config?.root ?? repositoryRoot));
          })
          // The worker's own request transforms it again, and reports what went wrong.
          .catch(() => {});
      }
      return null;
    },
  };
}

/** What transformAhead needs of vite's environment in a transform hook. */
interface TransformingEnvironment {
  config: { root: string };
  transformRequest(url: string): Promise<unknown>;
}

/**
 * The URL vite files a module under, which is what it shares a transform under: its path from
 * the root, or `/@fs/` and its absolute path for a file outside the root.
 */
export function urlOf(id: string, root: string, path = nodePath): string {
  const prefix = `${toModuleId(root, path)}/`;
  const file = toModuleId(id, path);
  if (file.startsWith(prefix)) return file.slice(prefix.length - 1);
  return `/@fs${file.startsWith("/") ? "" : "/"}${file}`;
}

/** What a mutant's file runs as in the mutants project: its exercise's tests, with the mistake. */
function mutantCheckModule(entry: MutantRun): string {
  const testFile = withMutant(toModuleId(entry.testFile), entry.name);
  const suite = toModuleId(join(repositoryRoot, "harness", "workbook", "mutant-suite.ts"));
  return [
    `import { checkMutant } from ${JSON.stringify(suite)};`,
    `checkMutant(${JSON.stringify(entry.name)}, () => import(${JSON.stringify(testFile)}));`,
    "",
  ].join("\n");
}

/** "01-clocks/receive-without-max" → the id of solutions/01-clocks/mutants/receive-without-max.ts. */
export function mutantFileId(exerciseFolders: ExerciseFolders, name: string): string {
  const [chapterFolder, file] = name.split("/") as [string, string];
  return solutionFile(exerciseFolders, chapterFolder, `mutants/${file}.ts`);
}

/** The mutant an id is marked with (`…?mutant=01-clocks/receive-without-max`), if any. */
export function mutantOf(id: string): string | undefined {
  const query = /\?(.*)$/s.exec(id)?.[1];
  if (query === undefined) return undefined;
  return new URLSearchParams(query).get("mutant") ?? undefined;
}

export function withMutant(file: string, name: string): string {
  return `${file}?mutant=${encodeURIComponent(name).replaceAll("%2F", "/")}`;
}

function isInExerciseFolder(file: string, exerciseFolders: ExerciseFolders): boolean {
  const id = toModuleId(file);
  return id.startsWith(exerciseFolders.chapters) || id.startsWith(exerciseFolders.solutions);
}
