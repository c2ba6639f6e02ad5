/**
 * Messages and stored values cross a wire or a disk, so they must be plain data. Encoding them
 * to JSON text at the moment of sending gives every receiver its own copy (a sender that
 * mutates an object after sending it cannot reach into the receiver) and gives the trace a
 * stable, printable record of what was sent.
 */
export class NotPlainDataError extends Error {
  override name = "NotPlainDataError";
}

/** Encodes `value` as JSON, or throws a NotPlainDataError naming the first part that is not plain data. */
export function encodePlainData(value: unknown, what: string): string {
  // Every message is checked, so the common case takes a fast path that builds no strings; only
  // a value that fails it is walked again to name the part that is wrong.
  const problem = isPlainData(value, 0) ? undefined : findNonPlainData(value, what);
  if (problem !== undefined) {
    throw new NotPlainDataError(
      `${problem}. Only plain data can cross the network or go to disk: objects, arrays, ` +
        `strings, finite numbers, booleans and null. Convert it first, for example a Map to ` +
        `Object.fromEntries(map) or a class instance to a plain object of its fields.`,
    );
  }
  return JSON.stringify(value);
}

/** A fresh copy of an encoded value. */
export function decodePlainData<Value>(encoded: string): Value {
  return JSON.parse(encoded) as Value;
}

/**
 * A copy of `value` exactly as JSON would carry it (`JSON.parse(JSON.stringify(value))`: no
 * undefined fields, -0 as 0), or a NotPlainDataError naming the first part that is not plain
 * data. What a message becomes when it is sent: copying the objects directly is several times
 * faster than writing and reading JSON text, and the text is written only if the trace is read.
 */
export function copyPlainData<Value>(value: Value, what: string): Value {
  const copy = copyIfPlain(value, 0);
  if (copy === notPlain) {
    throw new NotPlainDataError(
      `${findNonPlainData(value, what) ?? `${what} is not plain data`}. Only plain data can ` +
        `cross the network or go to disk: objects, arrays, strings, finite numbers, booleans ` +
        `and null. Convert it first, for example a Map to Object.fromEntries(map) or a class ` +
        `instance to a plain object of its fields.`,
    );
  }
  return copy as Value;
}

/** A fresh copy of a value that `copyPlainData` made, for each receiver of a message. */
export function clonePlainData<Value>(value: Value): Value {
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) {
    const length = value.length;
    const copy = new Array<unknown>(length);
    for (let index = 0; index < length; index++) copy[index] = clonePlainData(value[index]);
    return copy as Value;
  }
  // A spread copies an object of a shape V8 has seen in one step; only nested objects need more.
  const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const key in copy) {
    const item = copy[key];
    if (typeof item === "object" && item !== null) copy[key] = clonePlainData(item);
  }
  return copy as Value;
}

const notPlain = Symbol("not plain data");

/** `isPlainData` and the copy in one walk; the same rules, so the slow path names the problem. */
function copyIfPlain(value: unknown, depth: number): unknown {
  switch (typeof value) {
    case "string":
    case "boolean":
      return value;
    case "number":
      // JSON writes -0 as 0.
      return Number.isFinite(value) ? (value === 0 ? 0 : value) : notPlain;
    case "object":
      break;
    default:
      return notPlain;
  }
  if (value === null) return null;
  if (depth >= 100) return notPlain;
  if (Array.isArray(value)) {
    const length = value.length;
    const copy = new Array<unknown>(length);
    for (let index = 0; index < length; index++) {
      const item: unknown = value[index];
      if (item === undefined) return notPlain;
      const itemCopy = copyIfPlain(item, depth + 1);
      if (itemCopy === notPlain) return notPlain;
      copy[index] = itemCopy;
    }
    return copy;
  }
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return notPlain;
  // Copied by a spread (own enumerable fields, "__proto__" an ordinary field, as in JSON), then
  // checked field by field; only what JSON would change is written again. (One difference is
  // left: a spread keeps symbol-keyed fields, which JSON drops and no protocol sends.)
  const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const key in copy) {
    const item = copy[key];
    switch (typeof item) {
      case "string":
      case "boolean":
        continue;
      case "number":
        if (!Number.isFinite(item)) return notPlain;
        if (item === 0) copy[key] = 0; // -0
        continue;
      case "undefined":
        // JSON leaves out a field whose value is undefined.
        delete copy[key];
        continue;
      case "object": {
        if (item === null) continue;
        const itemCopy = copyIfPlain(item, depth + 1);
        if (itemCopy === notPlain) return notPlain;
        copy[key] = itemCopy;
        continue;
      }
      default:
        return notPlain;
    }
  }
  return copy;
}

/** Whether JSON carries `value` faithfully. A cycle fails by depth, and is named by the slow path. */
function isPlainData(value: unknown, depth: number): boolean {
  switch (typeof value) {
    case "string":
    case "boolean":
      return true;
    case "number":
      return Number.isFinite(value);
    case "undefined":
      return depth > 0;
    case "object":
      break;
    default:
      return false;
  }
  if (value === null) return true;
  if (depth >= 100) return false;
  if (Array.isArray(value)) {
    for (const item of value) if (item === undefined || !isPlainData(item, depth + 1)) return false;
    return true;
  }
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return false;
  for (const key in value) {
    if (!isPlainData((value as Record<string, unknown>)[key], depth + 1)) return false;
  }
  return true;
}

/**
 * The first part of `value` that JSON cannot carry faithfully, described by its path, or
 * undefined. `enclosing` holds the objects on the way down from the root, to name a cycle by
 * where it closes rather than by a path a hundred levels long.
 */
function findNonPlainData(
  value: unknown,
  path: string,
  depth = 0,
  enclosing: object[] = [],
): string | undefined {
  if (depth > 100) return `${path} is nested more than 100 levels deep`;
  switch (typeof value) {
    case "string":
    case "boolean":
      return undefined;
    case "number":
      return Number.isFinite(value) ? undefined : `${path} is ${value}, which JSON cannot carry`;
    case "undefined":
      return depth === 0 ? `${path} is undefined` : undefined;
    case "bigint":
      return `${path} is a bigint (${value}n); send it as a string or number`;
    case "function":
      return `${path} is a function`;
    case "symbol":
      return `${path} is a symbol`;
  }
  if (value === null) return undefined;
  if (enclosing.includes(value as object))
    return `${path} refers back to an object that contains it (a cycle), which JSON cannot carry`;
  enclosing.push(value as object);
  try {
    return findInContainer(value as object, path, depth, enclosing);
  } finally {
    enclosing.pop();
  }
}

function findInContainer(
  value: object,
  path: string,
  depth: number,
  enclosing: object[],
): string | undefined {
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      const item: unknown = value[index];
      if (item === undefined) return `${path}[${index}] is undefined, which JSON turns into null`;
      const problem = findNonPlainData(item, `${path}[${index}]`, depth + 1, enclosing);
      if (problem !== undefined) return problem;
    }
    return undefined;
  }
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) {
    const kind = (value as { constructor?: { name?: string } }).constructor?.name ?? "object";
    return `${path} is a ${kind}, not a plain object`;
  }
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    const problem = findNonPlainData(item, `${path}.${key}`, depth + 1, enclosing);
    if (problem !== undefined) return problem;
  }
  return undefined;
}
