import { loadCatalog } from "../workbook/catalog.js";
import { parseArguments } from "./arguments.js";
import { compare, reset } from "./files.js";
import { measure } from "./measure.js";
import { listMutants, runMutant } from "./mutants.js";
import { listing, select, UsageError, type Selection } from "./selection.js";
import { status } from "./status.js";
import { test } from "./test.js";
import { trace } from "./trace.js";

const help = `Distributed Systems Workbook

Usage: npm run workbook -- <command> [options]

Commands:
  status [--json]               every exercise, which pass against your code, and what is next
                                (what npm start shows)
  test [chapter | exercise]     run tests against your code, e.g. "test 1", "test 1.2", "test vector-clock"
      --solutions               run them against the reference solutions instead
      --seed N                  run every simulation test with seed N only (to replay a failure)
      --seeds N                 sweep N seeds instead of each test's default (hunt for rare bugs)
      --test "name"             only the test with that name
      --watch                   re-run when you save a file
  trace <exercise> --seed N     write every event of one run of the exercise's main scenario
      --test "name"             record that test's run instead of the main scenario
      --out file.json           where to write it (default: <exercise>.seed-<N>.trace.json)
      --text                    also print the events, one per line
      --diagram                 also draw them as a mermaid sequence diagram (space-time diagram)
      --solutions               trace the reference solution instead of your code
  measure <exercise>            run a measurement: print its tables, write its charts as SVG
      --seeds N                 seeds per point instead of the measurement's default
      --solutions               measure the reference solutions instead of your code
  compare <exercise>            show how your file differs from the reference solution
  reset <exercise>              put the stub back as shipped (your version is kept as <file>.mine)
  mutants [chapter | exercise]  the classic mistakes the tests are known to catch
  mutant <name>                 run a mistake's test against the solution with that mistake in it
  list                          the chapters and exercises, with the names commands accept
  help                          this text

Open the tests in a browser with: npm run ui
`;

async function main(argv: string[]): Promise<number> {
  const [command = "status", ...rest] = argv;
  const catalog = loadCatalog();
  switch (command) {
    case "status": {
      const { positionals, flags } = parseArguments(rest, { json: "boolean" }, "status");
      if (positionals.length > 0)
        throw new UsageError(`"status" takes no arguments, got ${positionals.join(" ")}.`);
      return status(catalog, { json: flags["json"] === true });
    }
    case "test": {
      const { positionals, flags } = parseArguments(
        rest,
        { solutions: "boolean", seed: "number", seeds: "number", test: "string", watch: "boolean" },
        "test",
      );
      if (positionals.length > 1)
        throw new UsageError(`"test" takes one chapter or exercise, got ${positionals.join(" ")}.`);
      if (flags["seed"] !== undefined && flags["seeds"] !== undefined)
        throw new UsageError("Use --seed or --seeds, not both.");
      return test(catalog, select(catalog, positionals[0]), {
        solutions: flags["solutions"] === true,
        watch: flags["watch"] === true,
        ...(flags["seed"] === undefined ? {} : { seed: flags["seed"] as number }),
        ...(flags["seeds"] === undefined ? {} : { seeds: flags["seeds"] as number }),
        ...(flags["test"] === undefined ? {} : { test: flags["test"] as string }),
      });
    }
    case "trace": {
      const { positionals, flags } = parseArguments(
        rest,
        {
          seed: "number",
          solutions: "boolean",
          out: "string",
          text: "boolean",
          diagram: "boolean",
          test: "string",
        },
        "trace",
      );
      const selection = select(catalog, positionals[0] ?? "(none)");
      if (positionals.length !== 1 || selection.kind !== "exercise") {
        throw new UsageError(
          `"trace" takes one exercise, as in: npm run workbook -- trace 1.3 --seed 7\n\n${listing(catalog)}`,
        );
      }
      if (flags["seed"] === undefined)
        throw new UsageError(`"trace" needs --seed N: the seed of the run to record.`);
      return trace(selection.exercise, {
        seed: flags["seed"] as number,
        solutions: flags["solutions"] === true,
        text: flags["text"] === true,
        diagram: flags["diagram"] === true,
        ...(flags["out"] === undefined ? {} : { out: flags["out"] as string }),
        ...(flags["test"] === undefined ? {} : { test: flags["test"] as string }),
      });
    }
    case "measure": {
      const { positionals, flags } = parseArguments(
        rest,
        { seeds: "number", solutions: "boolean" },
        command,
      );
      return measure(
        oneExercise(select(catalog, positionals[0] ?? "(none)"), positionals, command),
        {
          solutions: flags["solutions"] === true,
          ...(flags["seeds"] === undefined ? {} : { seeds: flags["seeds"] as number }),
        },
      );
    }
    case "compare":
    case "reset": {
      const { positionals } = parseArguments(rest, {}, command);
      const exercise = oneExercise(
        select(catalog, positionals[0] ?? "(none)"),
        positionals,
        command,
      );
      return command === "compare" ? compare(exercise) : reset(exercise);
    }
    case "mutants": {
      const { positionals } = parseArguments(rest, {}, command);
      if (positionals.length > 1)
        throw new UsageError(`"mutants" takes at most one chapter or exercise.`);
      return listMutants(catalog, select(catalog, positionals[0]));
    }
    case "mutant": {
      const { positionals } = parseArguments(rest, {}, command);
      if (positionals.length !== 1)
        throw new UsageError(
          `"mutant" takes one name, as in: npm run workbook -- mutant receive-without-max`,
        );
      return runMutant(positionals[0]!);
    }
    case "list":
      process.stdout.write(`${listing(catalog)}\n`);
      return 0;
    case "help":
    case "--help":
    case "-h":
      process.stdout.write(help);
      return 0;
    default:
      throw new UsageError(`There is no command "${command}".\n\n${help}`);
  }
}

function oneExercise(selection: Selection, positionals: string[], command: string) {
  if (positionals.length !== 1 || selection.kind !== "exercise") {
    throw new UsageError(
      `"${command}" takes one exercise, as in: npm run workbook -- ${command} 1.2`,
    );
  }
  return selection.exercise;
}

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
