import { execFile, execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { testFileOf } from "../cli/selection.js";
import {
  allExercises,
  loadCatalog,
  repositoryRoot,
  type Chapter,
  type Exercise,
} from "../workbook/catalog.js";
import { loadMutants, type MutantEntry } from "../workbook/mutants.js";
import type { TestOutcome } from "../workbook/results-reporter.js";
import { runVitest, type VitestResult } from "../workbook/run-vitest.js";

/**
 * `npm test`: every check the project makes, each counted as one test, ending with the line
 * CI reads: `tests: N passed, N failed`.
 *
 * - format and types: prettier and tsc over harness, chapters and solutions;
 * - layout: solutions mirror chapters, notes open with title and subtitle and end with a summary;
 * - the harness's own tests and every chapter suite against the reference solutions;
 * - every exercise fails on its untouched stub, with a message pointing at a TODO;
 * - every mutant fails the test named for its mistake.
 */
interface Check {
  group: string;
  name: string;
  state: "passed" | "failed" | "skipped";
  detail?: string;
}

const execute = promisify(execFile);

/** What the checks of the test run read: the catalog, the mutants and every test's outcome. */
interface TestRun {
  catalog: Chapter[];
  mutants: MutantEntry[];
  outcomes: TestOutcome[];
}

/**
 * The checks made from one vitest run, in the order they are reported. Each is one function
 * from the run to its checks; a new check is one more function here.
 */
const checksOfTheRun: Array<(run: TestRun) => Check[]> = [
  ({ outcomes }) => testChecks(outcomes, "harness"),
  ({ outcomes }) => testChecks(outcomes, "solutions"),
  ({ catalog, outcomes }) => scenarioChecks(catalog, outcomes),
  ({ catalog, outcomes }) => notesNameEveryTest(catalog, outcomes),
  ({ catalog, outcomes }) => stubChecks(catalog, outcomes),
  ({ catalog, mutants, outcomes }) => mutantChecks(catalog, mutants, outcomes),
  ({ catalog, mutants }) => notesClaimsBackedByMutants(catalog, mutants),
];

async function main(): Promise<number> {
  const started = performance.now();
  const checks: Check[] = [];
  const catalog = loadCatalog();
  const mutants = await loadMutants();

  log(
    `Checking format and types, and running the harness tests, every chapter against the solutions and the stubs, and ${mutants.length} mutants…`,
  );
  // The tools and vitest run side by side: each has stretches where it leaves a core idle.
  // With the learner's work in chapters/, the stub checks are skipped, so the stubs need no run.
  const stubsUntouched = !locallyEdited("chapters");
  const [tools, vitest] = await Promise.all([
    toolChecks(),
    timed(runAllTests(mutants, stubsUntouched)),
  ]);
  checks.push(...tools, ...layoutChecks(catalog), ...hintChecks(catalog));
  checks.push(...vitestRuns(vitest.result));
  const run: TestRun = { catalog, mutants, outcomes: vitest.result.outcomes };
  for (const check of checksOfTheRun) checks.push(...check(run));

  report(checks, (performance.now() - started) / 1000, vitest.seconds);
  return checks.some((check) => check.state === "failed") ? 1 : 0;
}

/**
 * Prettier and tsc remember what they checked in node_modules/.cache (where tools keep their
 * caches, and which a fresh `npm ci` empties), so a second run looks again only at files that
 * changed: most of their time on a cold run, and it grows with every chapter. tsc runs in build
 * mode (harness/check/tsconfig.json), which, when no file has changed since the last check,
 * answers from its build info without reading the program: 0.3 s instead of the 3 s (5 CPU s)
 * that parsing every declaration file again takes in plain incremental mode.
 */
function toolChecks(): Promise<Check[]> {
  const cache = join(repositoryRoot, "node_modules", ".cache", "workbook");
  forgetTypeCheckAfterInstall(join(cache, "typecheck.tsbuildinfo"));
  return Promise.all([
    toolCheck(
      "format",
      "every file is formatted with prettier",
      "prettier/bin/prettier.cjs",
      [
        "--check",
        "--cache",
        "--cache-strategy",
        "content",
        "--cache-location",
        join(cache, "prettier"),
        ".",
      ],
      "\nFix with: npm run format",
    ),
    toolCheck("types", "harness, stubs and solutions type-check (strict)", "typescript/bin/tsc", [
      "--build",
      join("harness", "check", "tsconfig.json"),
    ]),
  ]);
}

/**
 * Build mode looks only at the project's own files to decide that nothing changed, not at the
 * packages' types, so the build info is dropped when the packages may have changed: when the
 * lockfile is newer than it.
 */
function forgetTypeCheckAfterInstall(buildInfo: string): void {
  const lockfile = join(repositoryRoot, "package-lock.json");
  if (existsSync(buildInfo) && statSync(lockfile).mtimeMs > statSync(buildInfo).mtimeMs)
    rmSync(buildInfo);
}

/**
 * One vitest run for every project, so the harness is transformed once. A third worker: the
 * learner-loop tests spend their worker's time waiting for the CLIs they start, which do their
 * work in processes of their own, and two workers would leave everything else to one.
 */
function runAllTests(mutants: MutantEntry[], stubs: boolean): Promise<VitestResult> {
  return runVitest({
    projects: [
      "harness",
      "solutions",
      ...(stubs ? ["chapters"] : []),
      ...(mutants.length > 0 ? ["mutants"] : []),
    ],
    env: { WORKBOOK_MUTANTS: "1" },
    maxWorkers: 3,
    output: "quiet",
    timeoutMs: 30 * 60_000,
  });
}

async function timed<T>(work: Promise<T>): Promise<{ result: T; seconds: number }> {
  const started = performance.now();
  const result = await work;
  return { result, seconds: (performance.now() - started) / 1000 };
}

/** A run that stopped early or reported nothing cannot vouch for anything. */
function vitestRuns(vitest: VitestResult): Check[] {
  const checks: Check[] = [];
  if (vitest.timedOut)
    checks.push({
      group: "vitest",
      name: "the test run finishes",
      state: "failed",
      detail: "stopped after 30 minutes",
    });
  if (vitest.outcomes.length === 0)
    checks.push({
      group: "vitest",
      name: "vitest runs",
      state: "failed",
      detail: `vitest exited with ${vitest.exitCode} and reported no tests`,
    });
  return checks;
}

/** One check that passes when a tool exits cleanly; otherwise its output says what is wrong. */
async function toolCheck(
  group: string,
  name: string,
  tool: string,
  args: string[],
  fix = "",
): Promise<Check> {
  try {
    await execute(process.execPath, [binary(tool), ...args], { cwd: repositoryRoot });
    return { group, name, state: "passed" };
  } catch (error) {
    return { group, name, state: "failed", detail: `${outputOf(error)}${fix}` };
  }
}

function layoutChecks(catalog: Chapter[]): Check[] {
  const checks: Check[] = [];
  const add = (name: string, problems: string[]): void => {
    checks.push({
      group: "layout",
      name,
      state: problems.length === 0 ? "passed" : "failed",
      ...(problems.length === 0 ? {} : { detail: problems.join("\n") }),
    });
  };
  for (const chapter of catalog) {
    const notes = join(repositoryRoot, "chapters", chapter.folder, "README.md");
    const text = existsSync(notes) ? readFileSync(notes, "utf8") : "";
    const problems: string[] = [];
    if (chapter.title.startsWith("(") || chapter.subtitle === "")
      problems.push(
        `chapters/${chapter.folder}/README.md must open with "# Title" and then "_Subtitle_"`,
      );
    const headings = [...text.matchAll(/^## (.+)$/gm)].map((match) => match[1]);
    if (headings.at(-1) !== "Summary")
      problems.push(`its last section must be "## Summary", found "${headings.at(-1) ?? "none"}"`);
    else if (!/^## Summary\n\n- /m.test(text))
      problems.push(`its Summary must be a list of bullets`);
    add(
      `chapter ${chapter.number} notes open with title and subtitle and end with a Summary`,
      problems,
    );

    const exerciseProblems: string[] = [];
    for (const exercise of chapter.exercises) {
      for (const file of exercise.files) {
        if (!existsSync(join(repositoryRoot, "chapters", chapter.folder, file)))
          exerciseProblems.push(
            `${exercise.id}: stub chapters/${chapter.folder}/${file} is missing`,
          );
        if (!existsSync(join(repositoryRoot, "solutions", chapter.folder, file)))
          exerciseProblems.push(
            `${exercise.id}: solution solutions/${chapter.folder}/${file} is missing`,
          );
      }
      if (!existsSync(join(repositoryRoot, testFileOf(exercise))))
        exerciseProblems.push(`${exercise.id}: test file ${testFileOf(exercise)} is missing`);
    }
    const solutionFolder = join(repositoryRoot, "solutions", chapter.folder);
    const solutionFiles = existsSync(solutionFolder)
      ? readdirSync(solutionFolder).filter((file) => file.endsWith(".ts"))
      : [];
    for (const file of solutionFiles) {
      if (!existsSync(join(repositoryRoot, "chapters", chapter.folder, file)))
        exerciseProblems.push(
          `solutions/${chapter.folder}/${file} has no stub at chapters/${chapter.folder}/${file}`,
        );
    }
    add(
      `chapter ${chapter.number}: every exercise has its stub, solution and tests, and solutions mirror chapters`,
      exerciseProblems,
    );
  }
  return checks;
}

/**
 * `workbook hint` gives three hints, one at a time: a nudge, the rule, the classic mistake.
 * An exercise with fewer leaves a stuck learner nothing between the notes and the solution.
 */
function hintChecks(catalog: Chapter[]): Check[] {
  return catalog.map((chapter): Check => {
    const name = `chapter ${chapter.number}: every exercise has three hints (a nudge, the rule, the classic mistake)`;
    const problems = chapter.exercises
      .filter((exercise) => exercise.hints.length !== 3)
      .map(
        (exercise) =>
          `${exercise.number} (${exercise.id}) has ${exercise.hints.length}: add "hints": [nudge, rule, classic mistake] to chapters/${chapter.folder}/chapter.json`,
      );
    if (problems.length === 0) return { group: "layout", name, state: "passed" };
    return { group: "layout", name, state: "failed", detail: problems.join("\n") };
  });
}

function testChecks(outcomes: TestOutcome[], project: string): Check[] {
  return outcomes
    .filter((outcome) => outcome.project === project)
    .map((outcome) => ({
      group: project,
      name: `${outcome.file} › ${outcome.fullName}`,
      state: outcome.state,
      ...(outcome.state === "failed" ? { detail: outcome.errors.join("\n\n") } : {}),
      ...(outcome.state === "skipped" ? { detail: skipReason(outcome) } : {}),
    }));
}

/**
 * Why a test was skipped, for the report's one line about skipped checks: a suite that skips
 * itself says why in its name, "(skipped: no Chromium at …)"; otherwise, its file.
 */
function skipReason(outcome: TestOutcome): string {
  const opening = "(skipped: ";
  const start = outcome.fullName.indexOf(opening);
  if (start < 0) return `a test skipped in ${outcome.file}`;
  // Up to the parenthesis that closes it: the reason may hold parentheses of its own.
  let depth = 1;
  for (let at = start + opening.length; at < outcome.fullName.length; at++) {
    if (outcome.fullName[at] === "(") depth++;
    if (outcome.fullName[at] === ")" && --depth === 0)
      return outcome.fullName.slice(start + opening.length, at);
  }
  return outcome.fullName.slice(start + opening.length);
}

function scenarioChecks(catalog: Chapter[], outcomes: TestOutcome[]): Check[] {
  return allExercises(catalog)
    .filter((exercise) => exercise.scenario !== undefined)
    .map((exercise) => {
      const found = outcomes.some(
        (outcome) =>
          outcome.project === "solutions" &&
          outcome.file === testFileOf(exercise) &&
          outcome.name === exercise.scenario,
      );
      return {
        group: "layout",
        name: `exercise ${exercise.number} has its trace scenario test "${exercise.scenario}"`,
        state: found ? "passed" : "failed",
        ...(found
          ? {}
          : {
              detail: `chapter.json names a scenario test that ${testFileOf(exercise)} does not have`,
            }),
      } satisfies Check;
    });
}

/**
 * The notes tell a learner what each test checks, by its exact name; a test renamed without
 * the notes would leave them describing a test that no longer exists.
 */
function notesNameEveryTest(catalog: Chapter[], outcomes: TestOutcome[]): Check[] {
  return catalog.map((chapter): Check => {
    const notesPath = join(repositoryRoot, "chapters", chapter.folder, "README.md");
    // Prose wraps long names across lines; compare with the line breaks folded into spaces.
    const notes = existsSync(notesPath)
      ? readFileSync(notesPath, "utf8").replace(/\s*\n\s*/g, " ")
      : "";
    const names = outcomes
      .filter(
        (outcome) =>
          outcome.project === "solutions" && outcome.file.startsWith(`chapters/${chapter.folder}/`),
      )
      .map((outcome) => outcome.name);
    const missing = [...new Set(names)].filter((name) => !notes.includes(name));
    const name = `chapter ${chapter.number} notes name every one of its ${names.length} tests`;
    if (missing.length === 0) return { group: "layout", name, state: "passed" };
    return {
      group: "layout",
      name,
      state: "failed",
      detail: `not in chapters/${chapter.folder}/README.md:\n${missing.map((test) => `"${test}"`).join("\n")}`,
    };
  });
}

/**
 * A workbook that ships an exercise already solved teaches nothing, and a stub that fails by
 * crashing the harness teaches the wrong thing. Only meaningful on untouched stubs, so it is
 * skipped when chapters/ has local changes (a learner's work in progress).
 */
function stubChecks(catalog: Chapter[], outcomes: TestOutcome[]): Check[] {
  const edited = locallyEdited("chapters");
  return allExercises(catalog).map((exercise): Check => {
    const name = `exercise ${exercise.number} (${exercise.id}) fails on its untouched stub, pointing at a TODO`;
    if (edited)
      return {
        group: "stubs",
        name,
        state: "skipped",
        detail: "chapters/ has uncommitted changes",
      };
    const own = outcomes.filter(
      (outcome) => outcome.project === "chapters" && outcome.file === testFileOf(exercise),
    );
    const failures = own.filter((outcome) => outcome.state === "failed");
    const withoutTodo = failures.filter(
      (outcome) => !outcome.errors.some((error) => error.includes("TODO(")),
    );
    if (failures.length === 0)
      return {
        group: "stubs",
        name,
        state: "failed",
        detail: `all ${own.length} tests pass on the stub: it ships solved`,
      };
    if (withoutTodo.length > 0) {
      const detail = withoutTodo
        .map(
          (outcome) =>
            `"${outcome.name}" failed without mentioning a TODO:\n${outcome.errors[0] ?? ""}`,
        )
        .join("\n\n");
      return { group: "stubs", name, state: "failed", detail };
    }
    return { group: "stubs", name, state: "passed" };
  });
}

/**
 * Each mutant's file runs in the "mutants" project as a suite of its exercise's tests with the
 * mistake in place (see runMutants in harness/workbook/vitest-plugins.ts); the test named for
 * the mistake must fail there.
 */
function mutantChecks(
  catalog: Chapter[],
  mutants: MutantEntry[],
  outcomes: TestOutcome[],
): Check[] {
  const exercises = allExercises(catalog);
  return mutants.map(({ name, file, mutant }): Check => {
    const title = `mutant ${name} (${mutant.mistake}) fails "${mutant.caughtBy.test}"`;
    const failed = (detail: string): Check => ({
      group: "mutants",
      name: title,
      state: "failed",
      detail,
    });
    const exercise = exercises.find(
      (candidate: Exercise) => candidate.id === mutant.caughtBy.exercise,
    );
    if (exercise === undefined)
      return failed(`${file} names no exercise "${mutant.caughtBy.exercise}" in caughtBy`);
    const own = outcomes.filter(
      (outcome) => outcome.project === "mutants" && outcome.file === file,
    );
    const loadError = own.find(
      (outcome) => outcome.name === "(file failed to load)" && outcome.state === "failed",
    );
    if (loadError !== undefined) return failed(loadError.errors.join("\n"));
    if (own.length === 0) return failed(`${file} did not run`);
    const target = own.find((outcome) => outcome.name === mutant.caughtBy.test);
    if (target === undefined)
      return failed(`${testFileOf(exercise)} has no test named "${mutant.caughtBy.test}"`);
    if (target.state !== "failed")
      return failed(
        `the test ${target.state} on the mutant: the suite no longer catches this mistake`,
      );
    return { group: "mutants", name: title, state: "passed" };
  });
}

/**
 * The notes claim that tests catch mistakes: each Pitfalls entry names the tests that catch
 * it, and each exercise's test table says which rules a test covers. A claim is only true if a
 * mutant making that mistake is caught by that test (mutantChecks then makes sure it still is):
 * every test a Pitfalls entry names must be some mutant's `caughtBy`, and every rule in a test
 * table must have at least one of its tests catch a mutant of that exercise.
 */
function notesClaimsBackedByMutants(catalog: Chapter[], mutants: MutantEntry[]): Check[] {
  const fold = (text: string): string => text.replace(/\s+/g, " ").trim();
  return catalog.map((chapter): Check => {
    const notesPath = join(repositoryRoot, "chapters", chapter.folder, "README.md");
    const notes = existsSync(notesPath) ? readFileSync(notesPath, "utf8") : "";
    const own = mutants.filter((entry) => entry.chapterFolder === chapter.folder);
    const caught = new Set(own.map((entry) => entry.mutant.caughtBy.test));
    const problems: string[] = [];

    // Pitfalls: a table whose last column names tests, or a numbered list with _test names_.
    const pitfalls = /^## Pitfalls\n([\s\S]*?)(?=^## )/m.exec(notes)?.[1] ?? "";
    const claimed: string[] = [];
    for (const row of pitfalls.split("\n").filter((line) => line.startsWith("| "))) {
      const cells = row.split(" | ").map((cell) => cell.replace(/^\| |\s*\|$/g, "").trim());
      const caughtBy = cells.at(-1) ?? "";
      if (caughtBy === "Caught by" || /^-+$/.test(caughtBy)) continue;
      for (const part of caughtBy.split(";")) claimed.push(part.trim().replace(/^\d+\.\d+ /, ""));
    }
    for (const item of pitfalls.split(/\n(?=\d+\. )/).filter((text) => /^\d+\. /.test(text)))
      for (const match of fold(item).matchAll(/(?:^|[\s;(])_([^_]+)_(?=[\s;.,)]|$)/g))
        claimed.push(match[1]!.trim());
    // A name may carry a remark in brackets ("(seed 3)") or be cut short with "…": a claim is
    // backed when the name, the name without its remarks, or a test it begins names is caught.
    const isCaught = (name: string): boolean => {
      const bare = name.replace(/\s*\([^)]*\)/g, "").trim();
      if (caught.has(name) || caught.has(bare)) return true;
      if (!name.endsWith("…")) return false;
      const start = name.slice(0, -1).trim();
      return [...caught].some((test) => test.startsWith(start));
    };
    for (const test of claimed.filter((name) => name !== ""))
      if (!isCaught(test))
        problems.push(
          `Pitfalls names "${test}", but no mutant in solutions/${chapter.folder}/mutants/ is caught by it`,
        );

    // Test tables: | test | rule |, under each exercise's "### N.M" heading.
    for (const exercise of chapter.exercises) {
      const section =
        new RegExp(
          `^### ${exercise.number.replace(".", "\\.")} [^\\n]*\\n([\\s\\S]*?)(?=^##)`,
          "m",
        ).exec(notes)?.[1] ?? "";
      const ruleTests = new Map<string, string[]>();
      // Only a table headed "| Test | Rule |" says which rules its tests cover; a section's
      // other tables (measured values, what a test checks) make no such claim.
      let inRuleTable = false;
      let previous = "";
      for (const row of section.split("\n")) {
        const startsTable = row.startsWith("| ") && !previous.startsWith("| ");
        previous = row;
        if (!row.startsWith("| ")) continue;
        const [testCell = "", ruleCell = ""] = row
          .split(" | ")
          .map((cell) => cell.replace(/^\| |\s*\|$/g, "").trim());
        if (startsTable) inRuleTable = testCell === "Test" && ruleCell === "Rule";
        if (!inRuleTable) continue;
        if (testCell === "Test" || /^-+$/.test(testCell) || !/\d/.test(ruleCell)) continue;
        const test = testCell.replace(/^_[^_]*:_ /, "");
        const where = /^(\d+\.\d+) rule /.exec(ruleCell)?.[1] ?? exercise.number;
        for (const range of ruleCell.replace(/^\d+\.\d+ rule /, "").split(",")) {
          const [from, to = from] = range.split(/[–-]/).map((number) => Number(number.trim()));
          for (let rule = from!; rule <= to!; rule++) {
            const key = `${where} rule ${rule}`;
            ruleTests.set(key, [...(ruleTests.get(key) ?? []), test]);
          }
        }
      }
      for (const [rule, tests] of ruleTests)
        if (!tests.some((test) => caught.has(test)))
          problems.push(
            `${rule}: the tests the notes say cover it (${tests.map((test) => `"${test}"`).join(", ")}) catch no mutant`,
          );
    }
    const name = `chapter ${chapter.number} notes: every test they say catches a mistake or covers a rule catches a mutant`;
    return problems.length === 0
      ? { group: "layout", name, state: "passed" }
      : { group: "layout", name, state: "failed", detail: problems.join("\n") };
  });
}

function report(checks: Check[], seconds: number, vitestSeconds: number): void {
  const failed = checks.filter((check) => check.state === "failed");
  const skipped = checks.filter((check) => check.state === "skipped");
  const groups = [...new Set(checks.map((check) => check.group))];
  log("");
  for (const group of groups) {
    const own = checks.filter((check) => check.group === group);
    const bad = own.filter((check) => check.state === "failed").length;
    const skip = own.filter((check) => check.state === "skipped").length;
    log(
      `${bad === 0 ? "✔" : "✘"} ${group.padEnd(10)} ${own.length - bad - skip} passed${bad > 0 ? `, ${bad} failed` : ""}${skip > 0 ? `, ${skip} skipped` : ""}`,
    );
  }
  for (const check of failed)
    log(`\n✘ [${check.group}] ${check.name}\n${indent(check.detail ?? "")}`);
  if (skipped.length > 0)
    log(
      `\n${skipped.length} checks skipped: ${[...new Set(skipped.map((check) => check.detail))].join("; ")}`,
    );
  log(`\nFinished in ${seconds.toFixed(1)} s (vitest ${vitestSeconds.toFixed(1)} s).`);
  const skippedPart = skipped.length > 0 ? `, ${skipped.length} skipped` : "";
  process.stdout.write(
    `tests: ${checks.length - failed.length - skipped.length} passed, ${failed.length} failed${skippedPart}\n`,
  );
}

function locallyEdited(folder: string): boolean {
  try {
    return (
      execFileSync("git", ["status", "--porcelain", "--", folder], {
        cwd: repositoryRoot,
        encoding: "utf8",
      }).trim() !== ""
    );
  } catch {
    return false; // Not a git checkout: nothing to compare with, so check the files as they are.
  }
}

function binary(path: string): string {
  return join(repositoryRoot, "node_modules", path);
}

function outputOf(error: unknown): string {
  const { stdout = "", stderr = "" } = error as { stdout?: string; stderr?: string };
  return `${stdout}${stderr}`.trim().split("\n").slice(0, 40).join("\n");
}

function indent(text: string): string {
  return text
    .split("\n")
    .slice(0, 60)
    .map((line) => `    ${line}`)
    .join("\n");
}

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.stdout.write("tests: 0 passed, 1 failed\n");
    process.exitCode = 1;
  },
);
