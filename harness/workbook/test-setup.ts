import { beforeEach } from "vitest";
import { consoleLabel } from "../simulation/guard-rails.js";
import { resetLoopGuard } from "../simulation/loop-guard.js";
import { announceRunning } from "./running-channel.js";

// Importing guard-rails.ts replaces the real clock and randomness, before any exercise module
// loads, with versions that refuse inside a simulation run (see guard-rails.ts).

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
beforeEach((context) => {
  resetLoopGuard(() => `in the test "${context.task.name}"`);
  announceRunning({ file: context.task.file.filepath, test: context.task.fullName });
});
