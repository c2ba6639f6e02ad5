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
 * AST, and returns a source map so stack traces still point at the learner's lines.
 */
export function insertLoopGuards(
  code: string,
  parse: (code: string) => unknown,
): { code: string; map: ReturnType<MagicString["generateMap"]> } | undefined {
  if (!/\b(?:for|while|do)\b/.test(code)) return undefined;
  MagicStringClass ??= require("magic-string") as typeof MagicString;
  const edited = new MagicStringClass(code);
  let changed = false;
  visit(parse(code), (node) => {
    if (!loopTypes.has(node.type)) return;
    const body = node["body"] as AstNode;
    // Each loop counts its own iterations, named by where its body starts.
    const guardCall = `__workbookLoopGuard(${body.start});`;
    if (body.type === "BlockStatement") {
      edited.appendLeft(body.start + 1, guardCall);
    } else {
      edited.appendLeft(body.start, `{${guardCall}`);
      edited.prependRight(body.end, "}");
    }
    changed = true;
  });
  if (!changed) return undefined;
  // A mapping at each word's start, where V8 places the positions of calls and throws: exact for
  // stack traces, and half the size and time of one for every character (4.4 ms for raft.ts).
  return { code: edited.toString(), map: edited.generateMap({ hires: "boundary" }) };
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

function visit(node: unknown, onNode: (node: AstNode) => void): void {
  if (Array.isArray(node)) {
    for (const child of node) visit(child, onNode);
    return;
  }
  if (node === null || typeof node !== "object") return;
  const astNode = node as AstNode;
  if (typeof astNode.type === "string") onNode(astNode);
  for (const [key, value] of Object.entries(astNode)) {
    if (key !== "type" && value !== null && typeof value === "object") visit(value, onNode);
  }
}
