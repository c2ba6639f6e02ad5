import { UsageError } from "./selection.js";
import { didYouMean } from "./suggest.js";

/** The flags each command accepts, and whether each takes a value. */
export type FlagSpec = Record<string, "boolean" | "number" | "milliseconds" | "string">;

export interface ParsedArguments {
  positionals: string[];
  flags: Record<string, string | number | boolean>;
}

/** A deliberately small parser: `--name value`, `--name=value`, and `--flag`. */
export function parseArguments(argv: string[], spec: FlagSpec, command: string): ParsedArguments {
  const positionals: string[] = [];
  const flags: Record<string, string | number | boolean> = {};
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index]!;
    if (!argument.startsWith("--")) {
      positionals.push(argument);
      continue;
    }
    const [name, inline] = argument.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    const kind = spec[name];
    if (kind === undefined) {
      const known =
        Object.keys(spec)
          .map((flag) => `--${flag}`)
          .join(", ") || "none";
      const suggestion = didYouMean(name, Object.keys(spec), "--");
      throw new UsageError(`"${command}" has no flag --${name}.${suggestion} Its flags: ${known}.`);
    }
    if (kind === "boolean") {
      flags[name] = true;
      continue;
    }
    const value = inline ?? argv[++index];
    if (value === undefined || (inline === undefined && value.startsWith("--"))) {
      throw new UsageError(
        `--${name} needs a value, as in --${name} ${kind === "number" ? "7" : "text"}.`,
      );
    }
    if (kind === "milliseconds") {
      // A point in a run's time: 0 or more, fractions allowed ("--from 921.5").
      const milliseconds = Number(value);
      if (value.trim() === "" || !Number.isFinite(milliseconds) || milliseconds < 0) {
        throw new UsageError(`Expected --${name} to be milliseconds >= 0, got "${value}".`);
      }
      flags[name] = milliseconds;
    } else if (kind === "number") {
      const number = Number(value);
      if (!Number.isSafeInteger(number) || number < 1) {
        throw new UsageError(`Expected --${name} to be a whole number >= 1, got "${value}".`);
      }
      flags[name] = number;
    } else {
      flags[name] = value;
    }
  }
  return { positionals, flags };
}
