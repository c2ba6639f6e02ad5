import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository's root folder, wherever it was cloned. */
export const repositoryRoot = resolve(fileURLToPath(new URL("../..", import.meta.url)));

/** One exercise, as `chapters/<chapter>/chapter.json` declares it. */
export interface Exercise {
  /** "1.3": chapter number, then position in the chapter. */
  number: string;
  /** "causal-broadcast": unique within the workbook. */
  id: string;
  title: string;
  chapter: Chapter;
  /** The files the learner edits, relative to the chapter folder; `solutions/` has the same names. */
  files: string[];
  /** The exercise's test file, relative to the chapter folder. */
  test: string;
  /** The test whose simulation `workbook trace` records, for exercises that simulate a network. */
  scenario?: string;
  /** A measurement exercise's `*.measure.ts` module, relative to the chapter folder. */
  measure?: string;
}

export interface Chapter {
  number: number;
  /** The folder's name, such as "01-clocks". */
  folder: string;
  title: string;
  subtitle: string;
  exercises: Exercise[];
}

interface ChapterFile {
  exercises: Array<{
    id: string;
    title: string;
    files: string[];
    test: string;
    scenario?: string;
    measure?: string;
  }>;
}

/** Every chapter with its exercises, in order, read from the chapters folder. */
export function loadCatalog(root = repositoryRoot): Chapter[] {
  const chaptersFolder = join(root, "chapters");
  const folders = readdirSync(chaptersFolder, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && /^\d\d-/.test(entry.name))
    .map((entry) => entry.name)
    .sort();
  return folders.map((folder) => loadChapter(chaptersFolder, folder));
}

function loadChapter(chaptersFolder: string, folder: string): Chapter {
  const manifestPath = join(chaptersFolder, folder, "chapter.json");
  const notesPath = join(chaptersFolder, folder, "README.md");
  if (!existsSync(manifestPath))
    throw new Error(`Chapter ${folder} has no chapter.json listing its exercises`);
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as ChapterFile;
  const { title, subtitle } = readTitle(notesPath);
  const chapter: Chapter = {
    number: Number(folder.slice(0, 2)),
    folder,
    title,
    subtitle,
    exercises: [],
  };
  chapter.exercises = manifest.exercises.map((exercise, index) => ({
    ...exercise,
    number: `${chapter.number}.${index + 1}`,
    chapter,
  }));
  return chapter;
}

/**
 * A chapter's notes open with `# Title` and, on the next non-empty line, `_Subtitle_`: the
 * notes are the one place the title is written.
 */
function readTitle(notesPath: string): { title: string; subtitle: string } {
  if (!existsSync(notesPath)) return { title: "(notes missing)", subtitle: "" };
  const lines = readFileSync(notesPath, "utf8")
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);
  const title = /^# (.+)$/.exec(lines[0] ?? "")?.[1] ?? "(untitled)";
  const subtitle = /^[_*](.+)[_*]$/.exec(lines[1] ?? "")?.[1] ?? "";
  return { title, subtitle };
}

export function allExercises(catalog: Chapter[]): Exercise[] {
  return catalog.flatMap((chapter) => chapter.exercises);
}

/** The exercise whose test file is `testPath` (absolute, or relative to the root). */
export function exerciseForTestFile(
  catalog: Chapter[],
  testPath: string,
  root = repositoryRoot,
): Exercise | undefined {
  const relativePath = relative(root, resolve(root, testPath)).split("\\").join("/");
  return allExercises(catalog).find(
    (exercise) => `chapters/${exercise.chapter.folder}/${exercise.test}` === relativePath,
  );
}
