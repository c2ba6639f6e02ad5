import { parseAst } from "vite";
import { describe, expect, test } from "vitest";
import { RunawayLoopError } from "../simulation/errors.js";
import { loopIterationsMax, resetLoopGuard } from "../simulation/loop-guard.js";
import { insertLoopGuards } from "./loop-guard-transform.js";

// The same parser vite hands the transform as `this.parse` in the workbook's vitest plugin.
const parse = (code: string) => parseAst(code);

/**
 * Wraps a function body in a function declaration, as loops in modules sit inside methods,
 * and transforms it, failing the test if nothing was inserted.
 */
function guarded(body: string): string {
  const code = `function run() {\n${body}\n}`;
  const result = insertLoopGuards(code, parse);
  if (result === undefined) return expect.fail(`no guard was inserted into:\n${code}`);
  // Checked before anything runs: a loop left unguarded would hang the test run.
  const unguarded = loopsWithoutGuard(parse(result.code));
  if (unguarded.length > 0)
    expect.fail(`loops at ${unguarded.join(", ")} lack a guard in:\n${result.code}`);
  return result.code;
}

/** The start offsets of loops whose body does not open with `__workbookLoopGuard(site);`. */
function loopsWithoutGuard(tree: unknown): number[] {
  const found: number[] = [];
  const visit = (node: unknown): void => {
    if (node === null || typeof node !== "object") return;
    if (Array.isArray(node)) return node.forEach(visit);
    const record = node as {
      type?: string;
      start?: number;
      body?: { type: string; body?: unknown[] };
    };
    if (/^(For|ForIn|ForOf|While|DoWhile)Statement$/.test(record.type ?? "")) {
      const first = record.body?.type === "BlockStatement" ? record.body.body?.[0] : undefined;
      const callee = (first as { expression?: { callee?: { name?: string } } } | undefined)
        ?.expression?.callee?.name;
      if (callee !== "__workbookLoopGuard") found.push(record.start ?? -1);
    }
    Object.values(node).forEach(visit);
  };
  visit(tree);
  return found;
}

/** The source of a function declared as `run`, ready for `runCounting`. */
function declared(body: string): string {
  return `function run() {\n${body}\n}`;
}

/** Runs the function `run` declared in `code`, counting the calls to the loop guard. */
function runCounting(code: string): { result: unknown; guardCalls: number } {
  const real = globalThis.__workbookLoopGuard;
  let guardCalls = 0;
  globalThis.__workbookLoopGuard = () => {
    guardCalls++;
  };
  try {
    const result = new Function(`${code}\nreturn run();`)() as unknown;
    return { result, guardCalls };
  } finally {
    globalThis.__workbookLoopGuard = real;
  }
}

/** Every loop form, braced and not, each summing 1 + 2 + 3 = 6 over three iterations. */
const loops: Array<[form: string, body: string]> = [
  ["for with braces", "let t = 0; for (let i = 1; i <= 3; i++) { t += i; } return t;"],
  ["for without braces", "let t = 0; for (let i = 1; i <= 3; i++) t += i; return t;"],
  [
    "for-in with braces",
    "let t = 0; for (const k in { 1: 0, 2: 0, 3: 0 }) { t += Number(k); } return t;",
  ],
  [
    "for-in without braces",
    "let t = 0; for (const k in { 1: 0, 2: 0, 3: 0 }) t += Number(k); return t;",
  ],
  ["for-of with braces", "let t = 0; for (const v of [1, 2, 3]) { t += v; } return t;"],
  ["for-of without braces", "let t = 0; for (const v of [1, 2, 3]) t += v; return t;"],
  ["while with braces", "let t = 0, i = 0; while (i < 3) { i++; t += i; } return t;"],
  ["while without braces", "let t = 0, i = 0; while (i < 3) t += ++i; return t;"],
  ["do-while with braces", "let t = 0, i = 0; do { i++; t += i; } while (i < 3); return t;"],
  ["do-while without braces", "let t = 0, i = 0; do t += ++i; while (i < 3); return t;"],
  ["an empty body", "let i = 0; for (; i < 3; i++); return i * 2;"],
  ["a body without a semicolon", "let t = 0, i = 0\nwhile (i < 3) t += ++i\nreturn t"],
];

describe("insertLoopGuards", () => {
  test.for(loops)("%s: runs as before, calling the guard once per iteration", ([, body]) => {
    const transformed = guarded(body);
    expect(
      (transformed.match(/__workbookLoopGuard\(\d+\);/g) ?? []).length,
      "guards inserted",
    ).toBe(1);
    const original = runCounting(declared(body));
    const after = runCounting(transformed);
    expect(after.result, `the transformed code's result:\n${transformed}`).toBe(original.result);
    expect(after.guardCalls, `guard calls for three iterations:\n${transformed}`).toBe(3);
  });

  test("nested and labelled loops, braced or not, all get guards and still run", () => {
    const body = [
      "let t = 0;",
      "outer: for (let i = 0; i < 3; i++)",
      "  for (let j = 0; j < 3; j++) {",
      "    if (j === 2) continue outer;",
      "    let k = 0;",
      "    while (k < 2) k++;",
      "    t += k;",
      "  }",
      "return t;",
    ].join("\n");
    const transformed = guarded(body);
    expect(
      (transformed.match(/__workbookLoopGuard\(\d+\);/g) ?? []).length,
      "guards in three loops",
    ).toBe(3);
    const { result, guardCalls } = runCounting(transformed);
    expect(result, `the result of:\n${transformed}`).toBe(12);
    // 3 outer + 3 × 3 inner (the guard runs before `continue outer`) + 3 × 2 × 2 innermost.
    expect(guardCalls, "guard calls across all three loops").toBe(24);
  });

  test("loops written unusually are still found: for await, comments before the parenthesis", () => {
    const forms = [
      "export async function f(xs) {\n  for await (const x of xs) {\n    g(x);\n  }\n}",
      "export function f(xs) {\n  for /* each */ (const x of xs) g(x);\n}",
      "export function f(x) {\n  while // still waiting\n  (x()) {}\n}",
      "export function f(x) {\n  do g(); while(x());\n}",
    ];
    for (const code of forms) {
      const result = insertLoopGuards(code, parse);
      expect(result?.code, `the guarded form of:\n${code}`).toMatch(/__workbookLoopGuard\(\d+\);/);
    }
  });

  test("code without loops is left untouched", () => {
    const code = [
      "// for each node, do something; while we wait",
      'const text = "for (;;) {}";',
      "export function formatted(value) { return `do ${value}`; }",
    ].join("\n");
    expect(insertLoopGuards(code, parse), "the result for code with no loops").toBeUndefined();
    expect(
      insertLoopGuards("export const x = 1;", parse),
      "code without loop words",
    ).toBeUndefined();
  });

  test("the output still parses as a module and comes with a source map", () => {
    const code = [
      'import { helper } from "./helper.js";',
      "export class Node {",
      "  onMessage(items) {",
      "    for (const item of items) helper(item);",
      "  }",
      "}",
    ].join("\n");
    const result = insertLoopGuards(code, parse)!;
    expect(
      () => parse(result.code),
      `the transformed module parses:\n${result.code}`,
    ).not.toThrow();
    expect(result.code, "the loop body").toMatch(/\{__workbookLoopGuard\(\d+\);helper\(item\);\}/);
    expect(result.map?.mappings.length, "the source map has mappings").toBeGreaterThan(0);
  });

  // What a learner's stack trace and code frame rest on: V8 reports a call or a throw at a
  // name or keyword, and each must land where the learner wrote it, not a few columns off
  // where the guard was inserted. Each sample has a loop written on one line.
  const oneLineLoops: Array<[loops: string, code: string[], names: string[]]> = [
    [
      "braced and not",
      [
        "export function total(items) {",
        "  let sum = 0;",
        "  for (const item of items) { sum += weigh(item); }",
        "  while (sum > 10) sum = halve(sum);",
        "  if (sum < 0) throw new RangeError(`negative: ${sum}`);",
        "  return sum;",
        "}",
      ],
      ["weigh", "halve", "throw", "RangeError", "return"],
    ],
    [
      "braced only",
      [
        "export function total(items) {",
        "  let sum = 0;",
        "  for (const item of items) { sum += weigh(item); if (sum < 0) throw new RangeError(); }",
        "  return sum;",
        "}",
      ],
      ["weigh", "throw", "RangeError", "return"],
    ],
  ];
  test.for(oneLineLoops)(
    "loops on one line (%s): every name in the output maps back to its line and column",
    ([, lines, names]) => {
      const code = lines.join("\n");
      const result = insertLoopGuards(code, parse)!;
      if (result.map === null) return expect.fail(`no source map for:\n${result.code}`);
      const mapped = originalPositions(result.map.mappings);
      for (const name of names) {
        const at = (text: string) => {
          const before = text.slice(0, text.indexOf(name)).split("\n");
          return { line: before.length - 1, column: before.at(-1)!.length };
        };
        const generated = at(result.code);
        expect(
          mapped.get(`${generated.line}:${generated.column}`),
          `where "${name}" in the output maps to`,
        ).toEqual(at(code));
      }
    },
  );

  test("formatted loops, each `{` ending its line, move no name, so the code needs no map", () => {
    // Most exercise code is formatted so; vite keeps the map it has (map: null) instead of
    // combining a new one with it, which was most of what guarding cost a fresh run.
    const code = [
      "export function drain(queue) {",
      "  let handled = 0;",
      "  while (queue.length > 0) { // until empty",
      "    handled += step(queue.shift());",
      "  }",
      "  for (const late of queue) {",
      "    do {",
      "      handled += retry(late);",
      "    } while (handled < 3);",
      "  }",
      "  return handled;",
      "}",
    ].join("\n");
    const result = insertLoopGuards(code, parse)!;
    expect(result.map, `the map of:\n${result.code}`).toBeNull();
    expect(
      (result.code.match(/__workbookLoopGuard\(\d+\);/g) ?? []).length,
      `guards in three loops:\n${result.code}`,
    ).toBe(3);
    const inputLines = code.split("\n");
    result.code.split("\n").forEach((line, index) => {
      expect(
        line.startsWith(inputLines[index]!.replace(/ \/\/.*$/, "")),
        `line ${index + 1} keeps every name where it was:\n${line}`,
      ).toBe(true);
    });
    expect(result.code.split("\n").length, "lines").toBe(inputLines.length);
  });

  test("a transformed infinite loop throws RunawayLoopError instead of hanging", () => {
    for (const body of ["while (true) {}", "for (;;);"]) {
      resetLoopGuard(() => "in this test's infinite loop");
      const run = new Function(`${guarded(body)}\nreturn run();`);
      let error: unknown;
      try {
        run();
      } catch (caught) {
        error = caught;
      }
      expect(error, `what ${body} threw`).toBeInstanceOf(RunawayLoopError);
      expect((error as Error).message, "the message").toContain(
        `A loop ran more than ${loopIterationsMax.toLocaleString("en")} times in this test's infinite loop`,
      );
    }
  });
});

describe("loop guard: blame", () => {
  test("the loop that ran away is blamed, not a small loop that ran after it", () => {
    resetLoopGuard(() => "in this test");
    const code = guarded(
      "let n = 0; for (let i = 0; i < 9900000; i++) n++; let m = 0; for (let j = 0; j < 200000; j++) m++; return n + m;",
    );
    const run = new Function(`${code}\nreturn run();`);
    expect(run(), "9,900,000 iterations of one loop, then 200,000 of another, stay allowed").toBe(
      10100000,
    );
  });
});

/**
 * A source map's segments, decoded: "generated line:column" → the original line and column
 * (both from 0), as a stack trace's positions are looked up.
 */
function originalPositions(mappings: string): Map<string, { line: number; column: number }> {
  const digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const found = new Map<string, { line: number; column: number }>();
  let sourceLine = 0;
  let sourceColumn = 0;
  mappings.split(";").forEach((line, generatedLine) => {
    let generatedColumn = 0;
    for (const segment of line.split(",").filter((text) => text !== "")) {
      const values: number[] = [];
      let value = 0;
      let shift = 0;
      for (const char of segment) {
        const digit = digits.indexOf(char);
        value += (digit & 31) << shift;
        shift += 5;
        if ((digit & 32) === 0) {
          values.push(value & 1 ? -(value >>> 1) : value >>> 1);
          value = 0;
          shift = 0;
        }
      }
      generatedColumn += values[0]!;
      if (values.length < 4) continue;
      sourceLine += values[2]!;
      sourceColumn += values[3]!;
      found.set(`${generatedLine}:${generatedColumn}`, { line: sourceLine, column: sourceColumn });
    }
  });
  return found;
}
