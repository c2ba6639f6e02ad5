import { createRequire } from "node:module";
import type MagicString from "magic-string";

// Loaded when the first module is guarded: the CLI carries this file with the workbook's vitest
// config, and its commands that run no tests should not pay for loading it.
const require = createRequire(import.meta.url);
let MagicStringClass: typeof MagicString | undefined;

/**
 * Inserts `__workbookLoopGuard(site);` at the top of every loop body, so that an infinite loop in
 * exercise code ends in an error instead of hanging the test run (see
 * harness/simulation/loop-guard.ts). It runs after TypeScript is stripped, on the JavaScript
 * AST.
 *
 * Stack traces must still point at the learner's lines and columns. Where a body is a block
 * whose `{` ends its line, as in formatted code, the guard goes at the end of that line, and no
 * name in the file moves: the result then carries no source map of its own (`map: null`, which
 * tells vite the earlier maps still hold), which is most of what the guard used to cost a fresh
 * run. A loop written on one line moves what follows the guard, and the file gets a map.
 */
export function insertLoopGuards(
  code: string,
  parse: (code: string) => unknown,
): { code: string; map: ReturnType<MagicString["generateMap"]> | null } | undefined {
  if (!loopHeader.test(code)) return undefined;
  MagicStringClass ??= require("magic-string") as typeof MagicString;
  const edited = new MagicStringClass(code);
  let changed = false;
  let moved = false;
  visit(parse(code) as AstNode, (node) => {
    const body = node["body"] as AstNode;
    // Each loop counts its own iterations, named by where its body starts.
    const guardCall = `__workbookLoopGuard(${body.start});`;
    if (body.type === "BlockStatement") {
      edited.appendLeft(body.start + 1, guardCall);
      if (!restOfLineIsBlank(code, body.start + 1)) moved = true;
    } else {
      edited.appendLeft(body.start, `{${guardCall}`);
      edited.prependRight(body.end, "}");
      moved = true;
    }
    changed = true;
  });
  if (!changed) return undefined;
  // A mapping at each word's start, where V8 places the positions of calls and throws: exact for
  // stack traces, and half the size and time of one for every character (4.4 ms for raft.ts).
  const map = moved ? edited.generateMap({ hires: "boundary" }) : null;
  return { code: edited.toString(), map };
}

/**
 * What every loop has: `for (`, `for await (` or `while (` (a do-while ends in one), with
 * perhaps a comment before the parenthesis. Code without one is not parsed: most modules have
 * loop words only in their comments ("for each", "do not").
 */
const loopHeader = /\b(?:for|while)(?:\s|\/\*[^]*?\*\/|\/\/[^\n]*\n|\bawait\b)*\(/;

/** Whether only spaces, or a line comment, follow `offset` on its line. */
function restOfLineIsBlank(code: string, offset: number): boolean {
  for (let at = offset; at < code.length; at++) {
    const char = code[at];
    if (char === "\n") return true;
    if (char === "/" && code[at + 1] === "/") return true;
    if (char !== " " && char !== "\t" && char !== "\r") return false;
  }
  return true;
}

const loopTypes = new Set([
  "ForStatement",
  "ForInStatement",
  "ForOfStatement",
  "WhileStatement",
  "DoWhileStatement",
]);

interface AstNode {
  type: string;
  start: number;
  end: number;
  [key: string]: unknown;
}

/** Calls `onLoop` for every loop in the tree, outer loops first. */
function visit(node: AstNode, onLoop: (node: AstNode) => void): void {
  if (loopTypes.has(node.type)) onLoop(node);
  // for...in over the node's own keys: about twice as fast as Object.entries on a large AST.
  for (const key in node) {
    const value = node[key];
    if (value === null || typeof value !== "object") continue;
    if (Array.isArray(value)) {
      for (const child of value)
        if (child !== null && typeof child === "object" && typeof child.type === "string")
          visit(child as AstNode, onLoop);
    } else if (typeof (value as AstNode).type === "string") {
      visit(value as AstNode, onLoop);
    }
  }
}
