import { appendFileSync } from "node:fs";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { resetLoopGuard } from "../simulation/loop-guard.js";
import { simulatedMilliseconds } from "../simulation/simulation.js";

// Importing loop-guard.ts defines the global `__workbookLoopGuard` that transformed exercise
// code calls; each test starts with a fresh count so long suites never trip it by accumulation.
let testFile = "";
beforeEach((context) => {
  testFile = context.task.file.filepath;
  resetLoopGuard(() => `in the test "${context.task.name}"`);
});

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
