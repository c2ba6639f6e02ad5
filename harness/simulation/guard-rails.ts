import { NondeterminismError } from "./errors.js";

/**
 * While a simulation runs, the real clock, real timers and real randomness are switched off:
 * one call to any of them would make a run depend on the machine instead of the seed. Each
 * replacement throws an error that names the replacement to use.
 *
 * They are installed once per `run…` call rather than around each event, because a run is
 * synchronous from start to end: nothing but the simulation can execute in between.
 */
const replacements: ReadonlyArray<{
  name: string;
  holder: () => object | undefined;
  key: string;
  instead: string;
}> = [
  { name: "Date.now()", holder: () => Date, key: "now", instead: "context.now()" },
  {
    name: "Math.random()",
    holder: () => Math,
    key: "random",
    instead: "context.random() or context.randomInt(min, max)",
  },
  {
    name: "performance.now()",
    holder: () => globalThis.performance,
    key: "now",
    instead: "context.monotonicNow()",
  },
  {
    name: "process.hrtime()",
    holder: () => process,
    key: "hrtime",
    instead: "context.monotonicNow()",
  },
  {
    // Installed after the line above, so this sets `bigint` on the refusing replacement.
    name: "process.hrtime.bigint()",
    holder: () => process.hrtime,
    key: "bigint",
    instead: "context.monotonicNow()",
  },
  {
    name: "setTimeout()",
    holder: () => globalThis,
    key: "setTimeout",
    instead: "context.setTimer(name, delayMs)",
  },
  {
    name: "setInterval()",
    holder: () => globalThis,
    key: "setInterval",
    instead: "context.setTimer(name, delayMs), set again each time it fires",
  },
  {
    name: "setImmediate()",
    holder: () => globalThis,
    key: "setImmediate",
    instead: "context.setTimer(name, 0)",
  },
  {
    name: "crypto.randomUUID()",
    holder: () => globalThis.crypto,
    key: "randomUUID",
    instead: "an id built from context.id and a counter, or context.random()",
  },
  {
    name: "crypto.getRandomValues()",
    holder: () => globalThis.crypto,
    key: "getRandomValues",
    instead: "context.random()",
  },
];

let depth = 0;
let saved: Array<{ holder: object; key: string; original: unknown }> = [];
let RealDate: DateConstructor | undefined;
let describeWhere: () => string = () => "";

/**
 * Switches the guard rails on until `release` is called; `where` describes what code is
 * running, for the error message. Nested calls are counted so the outermost release wins.
 */
export function installGuardRails(where: () => string): () => void {
  depth++;
  if (depth === 1) {
    describeWhere = where;
    saved = [];
    for (const replacement of replacements) {
      const holder = replacement.holder();
      if (holder === undefined) continue;
      saved.push({ holder, key: replacement.key, original: Reflect.get(holder, replacement.key) });
      Reflect.set(holder, replacement.key, () => refuse(replacement.name, replacement.instead));
    }
    RealDate = globalThis.Date;
    globalThis.Date = guardedDate(RealDate);
  }
  return () => {
    depth--;
    if (depth > 0) return;
    for (const { holder, key, original } of saved) Reflect.set(holder, key, original);
    saved = [];
    if (RealDate !== undefined) globalThis.Date = RealDate;
  };
}

function refuse(name: string, instead: string): never {
  throw new NondeterminismError(
    `${name} was called ${describeWhere()}. A simulated node must not read real time or real ` +
      `randomness, or the same seed would not replay the same run: use ${instead} instead.`,
  );
}

/**
 * `new Date()` reads the real clock too; `new Date(ms)` is pure and stays allowed. `Date()`
 * called without `new` ignores its arguments and returns the real time as text, so it is
 * refused whatever it is given.
 */
function guardedDate(Real: DateConstructor): DateConstructor {
  const Guarded = function (this: unknown, ...args: unknown[]) {
    if (!new.target) refuse("Date()", "new Date(context.now()).toString()");
    if (args.length === 0) refuse("new Date()", "new Date(context.now())");
    return Reflect.construct(Real, args, new.target);
  } as unknown as DateConstructor;
  Object.setPrototypeOf(Guarded, Real);
  Object.defineProperty(Guarded, "prototype", { value: Real.prototype });
  Object.defineProperty(Guarded, "now", { value: () => refuse("Date.now()", "context.now()") });
  return Guarded;
}
