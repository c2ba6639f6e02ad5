import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { repositoryRoot, type Exercise } from "../workbook/catalog.js";
import { style } from "./style.js";

/** How many hints each exercise has shown, by exercise id: `.workbook/hints.json`. */
export type HintProgress = Record<string, number>;

export const hintProgressFile = join(repositoryRoot, ".workbook", "hints.json");

/**
 * Hints are progressive, one more each time they are asked for, so a learner takes only as
 * much help as they need: a nudge, then the rule, then the classic mistake. Returns the hints
 * to show now and the progress to remember.
 */
export function revealNextHint(
  progress: HintProgress,
  exercise: Exercise,
): { shown: string[]; newest: number | undefined; progress: HintProgress } {
  const before = Math.min(progress[exercise.id] ?? 0, exercise.hints.length);
  const after = Math.min(before + 1, exercise.hints.length);
  return {
    shown: exercise.hints.slice(0, after),
    newest: after > before ? after : undefined,
    progress: { ...progress, [exercise.id]: after },
  };
}

/**
 * What has been shown so far. A file that cannot be read as progress (a hand edit gone wrong)
 * starts over rather than stopping the learner: it holds only how many hints were seen.
 */
export function readHintProgress(path = hintProgressFile): HintProgress {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return {};
  }
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return {};
    return Object.fromEntries(
      Object.entries(parsed).filter(
        (entry): entry is [string, number] => Number.isSafeInteger(entry[1]) && entry[1] >= 0,
      ),
    );
  } catch {
    return {};
  }
}

/** Written to a temporary file and renamed, so an interrupted write never leaves half a file. */
export function writeHintProgress(progress: HintProgress, path = hintProgressFile): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(progress, null, 2)}\n`);
  renameSync(temporary, path);
}

/** `workbook hint <exercise>`: shows the hints so far, with one more than last time. */
export function hint(exercise: Exercise, path = hintProgressFile): string {
  const name = `${exercise.number} ${exercise.title}`;
  if (exercise.hints.length === 0) return `Exercise ${name} has no hints yet.\n`;
  const { shown, newest, progress } = revealNextHint(readHintProgress(path), exercise);
  writeHintProgress(progress, path);
  const total = exercise.hints.length;
  const lines = [style.bold(`Hints for ${name} (${shown.length} of ${total}):`), ""];
  for (const [index, text] of shown.entries()) {
    const mark = index + 1 === newest ? style.cyan("→") : " ";
    const wrapped = wrap(text, 92).join("\n     ");
    lines.push(`${mark} ${index + 1}. ${index + 1 === newest ? wrapped : style.dim(wrapped)}`);
  }
  lines.push("");
  if (shown.length < total)
    lines.push(
      style.dim(`Run it again for the next hint: npm run workbook -- hint ${exercise.number}`),
    );
  else
    lines.push(
      style.dim(
        `${newest === undefined ? "There are no more hints." : "That was the last hint."} ` +
          `See the classic mistakes fail: npm run workbook -- mutants ${exercise.number}; ` +
          `or compare with the solution: npm run workbook -- compare ${exercise.number}`,
      ),
    );
  return `${lines.join("\n")}\n`;
}

/** Breaks a paragraph into lines of at most `width` characters, at spaces. */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/)) {
    if (line !== "" && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === "" ? word : `${line} ${word}`;
  }
  if (line !== "") lines.push(line);
  return lines;
}

/** `workbook hint --reset`: forget the hints shown, for one exercise or for all of them. */
export function resetHints(exercise: Exercise | undefined, path = hintProgressFile): string {
  if (exercise === undefined) {
    writeHintProgress({}, path);
    return "Forgot every hint shown; the next hint for each exercise is its first.\n";
  }
  const { [exercise.id]: _forgotten, ...rest } = readHintProgress(path);
  writeHintProgress(rest, path);
  return `Forgot the hints shown for ${exercise.number} ${exercise.title}; the next is its first.\n`;
}
