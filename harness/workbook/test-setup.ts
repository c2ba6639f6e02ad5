import { appendFileSync } from "node:fs";
import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";
import { consoleLabel } from "../simulation/guard-rails.js";
import { resetLoopGuard, startTimeBudget } from "../simulation/loop-guard.js";
import { simulatedMilliseconds } from "../simulation/simulation.js";
import { forgetChapterModules } from "./fresh-chapter-modules.js";
import { trimStack } from "./trim-stacks.js";
import { announceRunning } from "./running-channel.js";

// Importing guard-rails.ts replaces the real clock and randomness, before any exercise module
// loads, with versions that refuse inside a simulation run (see guard-rails.ts).

// The learner's test files share a worker; each still gets fresh copies of their modules.
if (process.env["WORKBOOK_TARGET"] === "chapters") forgetChapterModules();

// Console output from node code is labelled with the node and the simulated time it ran at.
for (const method of ["log", "info", "warn", "error", "debug"] as const) {
  const original = console[method].bind(console);
  console[method] = (...args: unknown[]) => {
    const label = consoleLabel();
    if (label === undefined) original(...args);
    else original(label, ...args);
  };
}

// Importing loop-guard.ts defines the global `__workbookLoopGuard` that transformed exercise
// code calls; each test starts with a fresh count so long suites never trip it by accumulation.
let testFile = "";
beforeEach((context) => {
  testFile = context.task.file.filepath;
  resetLoopGuard(() => `in the test "${context.task.name}"`);
  startTimeBudget();
  announceRunning({ file: context.task.file.filepath, test: context.task.fullName });
});

// A failed test's errors leave the worker without the frames no one reads, each of which costs
// the main thread a file read and a scan (see trim-stacks.ts). Registered first, this hook runs
// after every other afterEach, so the errors those add are trimmed too.
const learnerView = process.env["WORKBOOK_TARGET"] === "chapters";
afterEach((context) => {
  for (const error of context.task.result?.errors ?? []) trimStack(error, learnerView);
});

// Tests run in worker threads of the CLI's own process: a node that kills or aborts "its"
// process would take the whole run with it, and the learner would be told nothing.
const realKill = process.kill.bind(process);
process.kill = (pid: number, signal?: string | number) => {
  if (pid === process.pid || pid === 0 || pid === process.ppid)
    throw new Error(
      `process.kill(${pid}) was called: it would stop the test run itself. A simulated node ` +
        `stops by returning; to test a crash, the test calls simulation.crash(id).`,
    );
  return realKill(pid, signal);
};
process.abort = () => {
  throw new Error(
    "process.abort() was called: it would stop the test run itself. A simulated node stops by " +
      "returning; to test a crash, the test calls simulation.crash(id).",
  );
};

// The bench asks how much simulated time each test file runs (WORKBOOK_SIMULATED_OUT names the
// file to append a JSON line to): scenario time is a measure of how much a suite explores.
const simulatedOut = process.env["WORKBOOK_SIMULATED_OUT"];
let simulatedAtStartMs = 0;
beforeAll(() => {
  simulatedAtStartMs = simulatedMilliseconds();
});
afterAll(() => {
  if (simulatedOut === undefined || simulatedOut === "" || testFile === "") return;
  const simulatedMs = simulatedMilliseconds() - simulatedAtStartMs;
  appendFileSync(simulatedOut, `${JSON.stringify({ file: testFile, simulatedMs })}\n`);
});
