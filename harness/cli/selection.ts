import { allExercises, type Chapter, type Exercise } from "../workbook/catalog.js";
import { didYouMean } from "./suggest.js";

/** What a command runs: the whole workbook, one chapter, or one exercise. */
export type Selection =
  | { kind: "all"; exercises: Exercise[]; label: string }
  | { kind: "chapter"; chapter: Chapter; exercises: Exercise[]; label: string }
  | { kind: "exercise"; exercise: Exercise; exercises: Exercise[]; label: string };

export class UsageError extends Error {
  override name = "UsageError";
}

/**
 * Understands every way a learner might name a chapter or an exercise: "1", "01",
 * "01-clocks", "clocks" for a chapter; "1.2", "vector-clock", "01-clocks/vector-clock" for an
 * exercise.
 */
export function select(catalog: Chapter[], selector: string | undefined): Selection {
  if (selector === undefined)
    return { kind: "all", exercises: allExercises(catalog), label: "every exercise" };
  const wanted = selector
    .toLowerCase()
    .replace(/\/$/, "")
    .replace(/^chapters\//, "");
  for (const chapter of catalog) {
    const names = [
      String(chapter.number),
      chapter.folder.slice(0, 2),
      chapter.folder,
      chapter.folder.slice(3),
    ];
    if (names.includes(wanted)) {
      return {
        kind: "chapter",
        chapter,
        exercises: chapter.exercises,
        label: `chapter ${chapter.number}, ${chapter.title}`,
      };
    }
  }
  for (const exercise of allExercises(catalog)) {
    const names = [
      exercise.number,
      exercise.id,
      `${exercise.chapter.folder}/${exercise.id}`,
      exercise.test.replace(/\.test\.ts$/, ""),
    ];
    if (names.includes(wanted)) {
      return {
        kind: "exercise",
        exercise,
        exercises: [exercise],
        label: `exercise ${exercise.number}, ${exercise.title}`,
      };
    }
  }
  const names = catalog.flatMap((chapter) => [
    chapter.folder,
    chapter.folder.slice(3),
    ...chapter.exercises.map((exercise) => exercise.id),
  ]);
  throw new UsageError(
    `There is no chapter or exercise called "${selector}".${didYouMean(wanted, names)}\n\n${listing(catalog)}`,
  );
}

/** Every valid name, for error messages. */
export function listing(catalog: Chapter[]): string {
  const lines = ["Chapters and exercises:"];
  for (const chapter of catalog) {
    lines.push(`  ${chapter.number}  ${chapter.folder.padEnd(24)} ${chapter.title}`);
    for (const exercise of chapter.exercises) {
      lines.push(`    ${exercise.number.padEnd(5)} ${exercise.id.padEnd(22)} ${exercise.title}`);
    }
  }
  return lines.join("\n");
}

/** A test file path for vitest, relative to the repository root. */
export function testFileOf(exercise: Exercise): string {
  return `chapters/${exercise.chapter.folder}/${exercise.test}`;
}
