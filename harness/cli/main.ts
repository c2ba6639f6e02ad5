import { realpathSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { loadCatalog, type Chapter } from "../workbook/catalog.js";
import { parseArguments, type FlagSpec, type ParsedArguments } from "./arguments.js";
import { compare, listBackups, reset } from "./files.js";
import { hint, resetHints } from "./hints.js";
import { measure } from "./measure.js";
import { listMutants, runMutant } from "./mutants.js";
import { listing, select, UsageError, type Selection } from "./selection.js";
import { status } from "./status.js";
import { didYouMean } from "./suggest.js";
import { test } from "./test.js";
import { trace } from "./trace.js";

/** One flag of a command, as its help describes it. */
interface Flag {
  kind: FlagSpec[string];
  /** What the value is called in help, as in `--seed N`. */
  value?: string;
  help: string;
}

/**
 * One command of the workbook. A new command is one more entry in `commands`: its usage line,
 * what it does, its flags, and `run`, which gets the parsed arguments; help, `--help` and
 * did-you-mean come from the entry.
 */
interface Command {
  /** The arguments after the command's name, as help shows them: "[chapter | exercise]". */
  usage?: string;
  /** One line, as the command list shows it. */
  summary: string;
  /** More about it, for `help <command>`. */
  details?: string;
  flags?: Record<string, Flag>;
  examples?: string[];
  run(argumentsGiven: ParsedArguments, catalog: Chapter[]): Promise<number> | number;
}

const commands: Record<string, Command> = {
  status: {
    usage: "[chapter | exercise]",
    summary:
      "every exercise, which pass against your code, and what is next (what npm start shows)",
    details:
      "An exercise that nothing has changed since its last whole run (its chapter's files, the harness, the packages) is not run again: its result is remembered. With a chapter or an exercise, shows (and runs) only those.",
    flags: {
      json: { kind: "boolean", help: "print it as JSON, for tools" },
      rerun: { kind: "boolean", help: "run every exercise, remembered or not" },
    },
    examples: ["status", "status 3", "status 2.4 --rerun"],
    run({ positionals, flags }, catalog) {
      if (positionals.length > 1)
        throw new UsageError(
          `"status" takes one chapter or exercise, got ${positionals.join(" ")}.`,
        );
      return status(catalog, {
        json: flags["json"] === true,
        rerun: flags["rerun"] === true,
        selection: select(catalog, positionals[0]),
      });
    },
  },
  test: {
    usage: "[chapter | exercise]",
    summary: 'run tests against your code, e.g. "test 1", "test 1.2", "test vector-clock"',
    details: "With no chapter or exercise, runs every exercise.",
    flags: {
      solutions: { kind: "boolean", help: "run them against the reference solutions instead" },
      seed: {
        kind: "number",
        value: "N",
        help: "run every simulation test with seed N only (to replay a failure)",
      },
      seeds: {
        kind: "number",
        value: "N",
        help: "sweep N seeds instead of each test's default (hunt for rare bugs)",
      },
      test: { kind: "string", value: '"name"', help: "only the test with that name" },
      watch: { kind: "boolean", help: "re-run when you save a file" },
      verbose: { kind: "boolean", help: "vitest's full report, every failure in full" },
    },
    examples: ["test 1.2", "test 1.3 --seed 17", "test raft-election --seeds 500"],
    run({ positionals, flags }, catalog) {
      if (positionals.length > 1)
        throw new UsageError(`"test" takes one chapter or exercise, got ${positionals.join(" ")}.`);
      if (flags["seed"] !== undefined && flags["seeds"] !== undefined)
        throw new UsageError("Use --seed or --seeds, not both.");
      return test(catalog, select(catalog, positionals[0]), {
        solutions: flags["solutions"] === true,
        watch: flags["watch"] === true,
        verbose: flags["verbose"] === true,
        ...(flags["seed"] === undefined ? {} : { seed: flags["seed"] as number }),
        ...(flags["seeds"] === undefined ? {} : { seeds: flags["seeds"] as number }),
        ...(flags["test"] === undefined ? {} : { test: flags["test"] as string }),
      });
    },
  },
  hint: {
    usage: "<exercise>",
    summary: "one more hint each time: a nudge, the rule, then the classic mistake",
    details:
      "The hints shown so far are remembered per exercise in .workbook/hints.json; --reset forgets them.",
    flags: {
      reset: {
        kind: "boolean",
        help: "forget the hints shown for it (for every exercise, with none named)",
      },
    },
    examples: ["hint 1.2", "hint 1.2 --reset", "hint --reset"],
    run({ positionals, flags }, catalog) {
      if (flags["reset"] === true && positionals.length === 0) {
        process.stdout.write(resetHints(undefined));
        return 0;
      }
      const exercise = oneExercise(catalog, positionals, "hint");
      process.stdout.write(flags["reset"] === true ? resetHints(exercise) : hint(exercise));
      return 0;
    },
  },
  trace: {
    usage: "<exercise> --seed N",
    summary: "write every event of one run of the exercise's main scenario",
    flags: {
      seed: { kind: "number", value: "N", help: "the seed of the run to record (required)" },
      test: {
        kind: "string",
        value: '"name"',
        help: "record that test's run instead of the main scenario",
      },
      out: {
        kind: "string",
        value: "file.json",
        help: "where to write it (default: <exercise>.seed-<N>.trace.json)",
      },
      text: { kind: "boolean", help: "also print the events, one per line" },
      diagram: {
        kind: "boolean",
        help: "also draw them as a mermaid sequence diagram (space-time diagram)",
      },
      html: {
        kind: "boolean",
        help: "write the run as an interactive space-time page instead (opens from disk)",
      },
      from: {
        kind: "milliseconds",
        value: "MS",
        help: "draw only the events from this time on (ms of simulated time)",
      },
      to: { kind: "milliseconds", value: "MS", help: "draw only the events up to this time" },
      events: {
        kind: "number",
        value: "N",
        help: "draw at most N events (default 120); a note says where to go on",
      },
      solutions: { kind: "boolean", help: "trace the reference solution instead of your code" },
    },
    examples: [
      "trace 1.3 --seed 17 --text",
      "trace 2.2 --seed 3 --html",
      "trace 2.2 --seed 3 --solutions --diagram --from 900",
    ],
    run({ positionals, flags }, catalog) {
      const exercise = oneExercise(catalog, positionals, "trace", "1.3 --seed 7");
      if (flags["seed"] === undefined)
        throw new UsageError(`"trace" needs --seed N: the seed of the run to record.`);
      return trace(exercise, {
        seed: flags["seed"] as number,
        solutions: flags["solutions"] === true,
        text: flags["text"] === true,
        diagram: flags["diagram"] === true,
        html: flags["html"] === true,
        window: {
          fromMs: flags["from"] as number | undefined,
          toMs: flags["to"] as number | undefined,
          eventsMax: flags["events"] as number | undefined,
        },
        ...(flags["out"] === undefined ? {} : { out: flags["out"] as string }),
        ...(flags["test"] === undefined ? {} : { test: flags["test"] as string }),
      });
    },
  },
  measure: {
    usage: "<exercise>",
    summary: "run a measurement: print its tables, write its charts as SVG",
    details:
      "Charts are written to .workbook/measurements/<exercise>-<chart>.svg; the paths are printed.",
    flags: {
      seeds: {
        kind: "number",
        value: "N",
        help: "seeds per point instead of the measurement's default",
      },
      solutions: { kind: "boolean", help: "measure the reference solutions instead of your code" },
    },
    examples: ["measure 4.5", "measure 5.2 --solutions --seeds 1"],
    run({ positionals, flags }, catalog) {
      return measure(oneExercise(catalog, positionals, "measure", "4.5"), {
        solutions: flags["solutions"] === true,
        ...(flags["seeds"] === undefined ? {} : { seeds: flags["seeds"] as number }),
      });
    },
  },
  compare: {
    usage: "<exercise>",
    summary: "show how your file differs from the reference solution",
    run: ({ positionals }, catalog) => compare(oneExercise(catalog, positionals, "compare")),
  },
  reset: {
    usage: "<exercise>",
    summary: "put the stub back as shipped (your version is kept in .workbook/backups/)",
    run: ({ positionals }, catalog) => reset(oneExercise(catalog, positionals, "reset")),
  },
  backups: {
    summary: "the files reset and trace kept before writing over them",
    run({ positionals }) {
      noPositionals("backups", positionals);
      return listBackups();
    },
  },
  mutants: {
    usage: "[chapter | exercise]",
    summary: "the classic mistakes the tests are known to catch",
    run({ positionals }, catalog) {
      if (positionals.length > 1)
        throw new UsageError(`"mutants" takes at most one chapter or exercise.`);
      return listMutants(catalog, select(catalog, positionals[0]));
    },
  },
  mutant: {
    usage: "<name>",
    summary: "run a mistake's test against the solution with that mistake in it",
    flags: {
      seed: { kind: "number", value: "N", help: "run it with seed N only" },
      seeds: {
        kind: "number",
        value: "N",
        help: "sweep N seeds: the first that fails shows how soon the test catches it",
      },
    },
    examples: ["mutant raft-vote-twice", "mutant raft-vote-twice --seeds 1000"],
    run({ positionals, flags }) {
      if (positionals.length !== 1)
        throw new UsageError(
          `"mutant" takes one name, as in: npm run workbook -- mutant receive-without-max`,
        );
      if (flags["seed"] !== undefined && flags["seeds"] !== undefined)
        throw new UsageError("Use --seed or --seeds, not both.");
      return runMutant(positionals[0]!, {
        ...(flags["seed"] === undefined ? {} : { seed: flags["seed"] as number }),
        ...(flags["seeds"] === undefined ? {} : { seeds: flags["seeds"] as number }),
      });
    },
  },
  list: {
    summary: "the chapters and exercises, with the names commands accept",
    run({ positionals }, catalog) {
      noPositionals("list", positionals);
      process.stdout.write(`${listing(catalog)}\n`);
      return 0;
    },
  },
  help: {
    usage: "[command]",
    summary: "this text, or all about one command",
    run({ positionals }) {
      if (positionals.length > 1) throw new UsageError(`"help" takes at most one command.`);
      process.stdout.write(positionals[0] === undefined ? overview() : commandHelp(positionals[0]));
      return 0;
    },
  },
};

const invocation = "npm run workbook --";

/** Every command with its flags: `help`, and what an unknown command prints. */
export function overview(): string {
  const lines = [
    "Distributed Systems Workbook",
    "",
    `Usage: ${invocation} <command> [options]`,
    "",
  ];
  lines.push("Commands:");
  for (const [name, command] of Object.entries(commands)) {
    lines.push(
      row(`  ${name}${command.usage === undefined ? "" : ` ${command.usage}`}`, command.summary),
    );
    for (const [flag, spec] of Object.entries(command.flags ?? {}))
      lines.push(row(`      ${flagLabel(flag, spec)}`, spec.help));
  }
  lines.push(
    "",
    `More about one command: ${invocation} help <command>, or ${invocation} <command> --help`,
    "Open the tests in a browser with: npm run ui",
    "",
  );
  return lines.join("\n");
}

/** `help <command>` and `<command> --help`: its usage, what it does, its flags and examples. */
export function commandHelp(name: string): string {
  const command = findCommand(name);
  const flags = Object.entries(command.flags ?? {});
  const lines = [
    `Usage: ${invocation} ${name}${command.usage === undefined ? "" : ` ${command.usage}`}${flags.length > 0 ? " [options]" : ""}`,
    "",
    `${capitalise(command.summary)}.`,
  ];
  if (command.details !== undefined) lines.push(command.details);
  if (flags.length > 0) {
    lines.push("", "Options:");
    for (const [flag, spec] of flags) lines.push(row(`  ${flagLabel(flag, spec)}`, spec.help));
  }
  if (command.examples !== undefined) {
    lines.push("", "Examples:");
    for (const example of command.examples) lines.push(`  ${invocation} ${example}`);
  }
  return `${lines.join("\n")}\n`;
}

/** The command called `name`, or a usage error that suggests the closest one. */
export function findCommand(name: string): Command {
  const command = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (command !== undefined) return command;
  const suggestion = didYouMean(name, Object.keys(commands));
  throw new UsageError(
    `There is no command "${name}".${suggestion}\nThe commands: ${Object.keys(commands).join(", ")}. ` +
      `See them all with: ${invocation} help`,
  );
}

/** Runs the command line `argv` (the words after `npm run workbook --`). */
export async function main(argv: string[]): Promise<number> {
  const [name = "status", ...rest] = argv;
  if (name === "--help" || name === "-h") {
    process.stdout.write(overview());
    return 0;
  }
  const command = findCommand(name);
  if (rest.includes("--help") || rest.includes("-h")) {
    process.stdout.write(commandHelp(name));
    return 0;
  }
  const spec: FlagSpec = Object.fromEntries(
    Object.entries(command.flags ?? {}).map(([flag, { kind }]) => [flag, kind]),
  );
  return command.run(parseArguments(rest, spec, name), loadCatalog());
}

function oneExercise(catalog: Chapter[], positionals: string[], command: string, example = "1.2") {
  const usage = `"${command}" takes one exercise, as in: ${invocation} ${command} ${example}`;
  if (positionals.length !== 1) throw new UsageError(usage);
  const selection: Selection = select(catalog, positionals[0]);
  if (selection.kind !== "exercise")
    throw new UsageError(`${usage}\n"${positionals[0]}" names ${selection.label}.`);
  return selection.exercise;
}

function noPositionals(command: string, positionals: string[]): void {
  if (positionals.length > 0)
    throw new UsageError(`"${command}" takes no arguments, got ${positionals.join(" ")}.`);
}

function flagLabel(flag: string, spec: Flag): string {
  return `--${flag}${spec.value === undefined ? "" : ` ${spec.value}`}`;
}

function row(left: string, right: string): string {
  return left.length < 32 ? `${left.padEnd(32)}${right}` : `${left}\n${"".padEnd(32)}${right}`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * Whether this module is the program being run (`node harness/cli/main.ts`), not imported by a
 * test. Node runs the real path of its entry, and Windows paths compare without case.
 */
function isProgram(): boolean {
  const entry = process.argv[1];
  if (entry === undefined) return false;
  const same = (path: string) => (process.platform === "win32" ? path.toLowerCase() : path);
  try {
    return (
      same(realpathSync(resolve(entry))) === same(realpathSync(fileURLToPath(import.meta.url)))
    );
  } catch {
    return false;
  }
}

// Run only as the program itself, so tests can import the command table.
if (isProgram()) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      if (error instanceof UsageError) {
        process.stderr.write(`${error.message}\n`);
        process.exitCode = 2;
        return;
      }
      throw error;
    },
  );
}
