import nodePath from "node:path";

/**
 * Where exercise code lives, in the form Vite names modules. Vite ids always use `/`, on
 * Windows too (`C:/work/chapters/01-clocks/lamport-clock.ts`), while `node:path` joins with
 * `\` there: comparing one with the other would silently match nothing, and `--solutions`,
 * mutants and the loop guard would do nothing at all. Everything here takes and returns ids.
 */
export interface ExerciseFolders {
  /** "<root>/chapters/", with `/` and a trailing `/`. */
  chapters: string;
  /** "<root>/solutions/", with `/` and a trailing `/`. */
  solutions: string;
}

/** The chapters and solutions folders of the repository at `root`, as Vite id prefixes. */
export function exerciseFolders(root: string, path = nodePath): ExerciseFolders {
  return {
    chapters: `${toModuleId(path.join(root, "chapters"), path)}/`,
    solutions: `${toModuleId(path.join(root, "solutions"), path)}/`,
  };
}

/**
 * A file path as Vite writes its module id: forward slashes, and on Windows the drive letter
 * in upper case (Vite keeps whatever case the resolver found, and `c:` and `C:` are the same
 * drive), so that ids from either source compare equal.
 */
export function toModuleId(file: string, path = nodePath): string {
  const forward = path.sep === "\\" ? file.replaceAll("\\", "/") : file;
  return forward.replace(/^([a-z]):\//, (_, drive: string) => `${drive.toUpperCase()}:/`);
}

/** The id without its query (`?mutant=…`) or hash, which Vite keeps on the id. */
export function withoutQuery(id: string): string {
  return id.replace(/[?#].*$/s, "");
}

/** The reference solution's id for a module in `chapters/`, or undefined for any other id. */
export function solutionTwin(id: string, folders: ExerciseFolders): string | undefined {
  const file = toModuleId(withoutQuery(id));
  if (!file.startsWith(folders.chapters)) return undefined;
  return folders.solutions + file.slice(folders.chapters.length);
}

/**
 * Code a learner or a solution wrote, which the loop guard instruments: a module in chapters/
 * or solutions/, but neither a test file (whose loops are the test's own) nor a mutant's file.
 */
export function isExerciseCode(id: string, folders: ExerciseFolders): boolean {
  const file = toModuleId(withoutQuery(id));
  const inFolder = file.startsWith(folders.chapters) || file.startsWith(folders.solutions);
  return inFolder && !file.endsWith(".test.ts") && !/\/mutants\/[^/]+$/.test(file);
}

/** The id of a solution file: `solutions/<chapterFolder>/<file>`. */
export function solutionFile(
  folders: ExerciseFolders,
  chapterFolder: string,
  file: string,
): string {
  return `${folders.solutions}${chapterFolder}/${file.replaceAll("\\", "/")}`;
}
