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
