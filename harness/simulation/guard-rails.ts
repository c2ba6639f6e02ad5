import { createRequire, syncBuiltinESMExports } from "node:module";
import { NondeterminismError } from "./errors.js";

/**
 * While a simulation runs, the real clock, real timers and real randomness are switched off:
 * one call to any of them would make a run depend on the machine instead of the seed. Each
 * refusal throws an error that names the replacement to use.
 *
 * The functions are replaced once, when this module loads (before any exercise module, since
 * the test setup imports it), by versions that refuse only while a run is going on. So a
 * reference saved at module load (`const now = Date.now`) or imported by name (`import {
 * randomUUID } from "node:crypto"`) is refused as well, and switching the rails on and off is
 * one counter. Only what exercise code reaches is replaced: the test runner keeps its own saved
 * copies (vitest's console forwarding reads the real `Date.now`), so `console.log` inside a
 * node handler still works. What slips through all this is caught by behaviour instead: the
 * seed runner runs a seed twice and compares the traces (harness/testing/seeds.ts).
 */

interface GuardState {
  depth: number;
  where: () => string;
  label: (() => string) | undefined;
  installed: boolean;
}

// One state per thread, shared by every copy of this module (each test file loads its own).
const state: GuardState = ((globalThis as Record<symbol, unknown>)[
  Symbol.for("workbook.guardRails")
] ??= { depth: 0, where: () => "", label: undefined, installed: false }) as GuardState;

/**
 * Switches the guard rails on until `release` is called; `where` describes what code is
 * running, for the error message, and `label` how console output from it is labelled
 * ("[n2 t=12ms]"). Nested calls are counted so the outermost release wins.
 */
export function installGuardRails(where: () => string, label?: () => string): () => void {
  installReplacements();
  if (++state.depth === 1) {
    state.where = where;
    state.label = label;
  }
  return () => {
    if (--state.depth > 0) return;
    state.depth = 0;
    state.label = undefined;
  };
}

/** Whether a simulation is running (and real time and randomness are refused). */
export function guardRailsActive(): boolean {
  return state.depth > 0;
}

/** The label for console output from the code now running, or undefined outside a run. */
export function consoleLabel(): string | undefined {
  return state.depth > 0 ? state.label?.() : undefined;
}

type AnyFunction = (...args: never[]) => unknown;

const realPerformanceNow = globalThis.performance.now.bind(globalThis.performance);

/** The real monotonic clock, for the harness's own budgets (never for node code). */
export function realMonotonicMs(): number {
  return state.depth > 0 ? unguarded(realPerformanceNow) : realPerformanceNow();
}

function unguarded<Result>(body: () => Result): Result {
  const depth = state.depth;
  state.depth = 0;
  try {
    return body();
  } finally {
    state.depth = depth;
  }
}

const require = createRequire(import.meta.url);

installReplacements();

/** Each function to refuse: where it lives, its name, and what to use instead. */
function replacements(): Array<{ holder: object; key: string; name: string; instead: string }> {
  const nodeCrypto = require("node:crypto") as Record<string, unknown>;
  const nodeTimers = require("node:timers") as Record<string, unknown>;
  const randomInstead = "context.random() or context.randomInt(min, max)";
  const idInstead = "an id built from context.id and a counter, or context.random()";
  return [
    { holder: Math, key: "random", name: "Math.random()", instead: randomInstead },
    {
      holder: globalThis.performance,
      key: "now",
      name: "performance.now()",
      instead: "context.monotonicNow()",
    },
    // Before hrtime itself, whose replacement then carries the refusing `bigint` over.
    {
      holder: process.hrtime,
      key: "bigint",
      name: "process.hrtime.bigint()",
      instead: "context.monotonicNow()",
    },
    { holder: process, key: "hrtime", name: "process.hrtime()", instead: "context.monotonicNow()" },
    { holder: process, key: "uptime", name: "process.uptime()", instead: "context.monotonicNow()" },
    ...[globalThis, nodeTimers].flatMap((holder) => [
      {
        holder,
        key: "setTimeout",
        name: "setTimeout()",
        instead: "context.setTimer(name, delayMs)",
      },
      {
        holder,
        key: "setInterval",
        name: "setInterval()",
        instead: "context.setTimer(name, delayMs), set again each time it fires",
      },
      { holder, key: "setImmediate", name: "setImmediate()", instead: "context.setTimer(name, 0)" },
    ]),
    {
      holder: globalThis.crypto,
      key: "randomUUID",
      name: "crypto.randomUUID()",
      instead: idInstead,
    },
    {
      holder: globalThis.crypto,
      key: "getRandomValues",
      name: "crypto.getRandomValues()",
      instead: randomInstead,
    },
    { holder: nodeCrypto, key: "randomUUID", name: "randomUUID()", instead: idInstead },
    { holder: nodeCrypto, key: "randomBytes", name: "randomBytes()", instead: randomInstead },
    { holder: nodeCrypto, key: "randomInt", name: "randomInt()", instead: randomInstead },
    { holder: nodeCrypto, key: "randomFillSync", name: "randomFillSync()", instead: randomInstead },
    {
      holder: nodeCrypto,
      key: "getRandomValues",
      name: "getRandomValues()",
      instead: randomInstead,
    },
  ];
}

function installReplacements(): void {
  if (state.installed) return;
  state.installed = true;
  for (const { holder, key, name, instead } of replacements()) {
    const original = Reflect.get(holder, key) as AnyFunction | undefined;
    if (typeof original !== "function") continue;
    const guarded = function (this: unknown, ...args: never[]) {
      if (state.depth > 0) refuse(name, instead);
      return Reflect.apply(original, this, args);
    };
    // Keep what hangs off the function, such as hrtime.bigint and setTimeout's promisified form.
    for (const property of Reflect.ownKeys(original)) {
      if (property === "length" || property === "name" || property === "prototype") continue;
      const descriptor = Reflect.getOwnPropertyDescriptor(original, property);
      if (descriptor !== undefined) Reflect.defineProperty(guarded, property, descriptor);
    }
    Reflect.set(holder, key, guarded);
  }
  globalThis.Date = guardedDate(globalThis.Date);
  guardDateTimeFormat();
  // `import { randomUUID } from "node:crypto"` binds to the module's exports: update them.
  syncBuiltinESMExports();
}

function refuse(name: string, instead: string): never {
  throw new NondeterminismError(
    `${name} was called ${state.where()}. A simulated node must not read real time or real ` +
      `randomness, or the same seed would not replay the same run: use ${instead} instead.`,
  );
}

/**
 * `new Date()` and `Date.now()` read the real clock; `new Date(ms)` is pure and stays allowed.
 * `Date()` called without `new` ignores its arguments and returns the real time as text, so it
 * is refused whatever it is given. The real `Date` itself is left alone for the test runner.
 */
function guardedDate(Real: DateConstructor): DateConstructor {
  const Guarded = function (this: unknown, ...args: unknown[]) {
    if (state.depth > 0) {
      if (!new.target) refuse("Date()", "new Date(context.now()).toString()");
      if (args.length === 0) refuse("new Date()", "new Date(context.now())");
    }
    if (!new.target) return Real();
    return Reflect.construct(Real, args, new.target);
  } as unknown as DateConstructor;
  Object.setPrototypeOf(Guarded, Real);
  Object.defineProperty(Guarded, "prototype", { value: Real.prototype });
  Object.defineProperty(Guarded, "now", {
    value: () => (state.depth > 0 ? refuse("Date.now()", "context.now()") : Real.now()),
    writable: true,
    configurable: true,
  });
  return Guarded;
}

/** `Intl.DateTimeFormat().format()` with no date formats the real time of day. */
function guardDateTimeFormat(): void {
  const prototype = Intl.DateTimeFormat.prototype;
  for (const key of ["format", "formatToParts"] as const) {
    const descriptor = Reflect.getOwnPropertyDescriptor(prototype, key);
    if (descriptor === undefined) continue;
    const read = descriptor.get ?? (() => descriptor.value as AnyFunction);
    const wrap = (formatter: Intl.DateTimeFormat) => {
      const real = Reflect.apply(read, formatter, []) as (date?: unknown) => unknown;
      return (date?: unknown) => {
        if (state.depth > 0 && date === undefined)
          refuse(`Intl.DateTimeFormat().${key}()`, `its ${key}(context.now())`);
        return real.call(formatter, date);
      };
    };
    Reflect.defineProperty(prototype, key, {
      configurable: true,
      ...(descriptor.get !== undefined
        ? {
            get(this: Intl.DateTimeFormat) {
              return wrap(this);
            },
          }
        : {
            writable: true,
            value(this: Intl.DateTimeFormat, date?: unknown) {
              return wrap(this)(date);
            },
          }),
    });
  }
}
