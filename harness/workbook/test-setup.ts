import { beforeEach } from "vitest";
import { resetLoopGuard } from "../simulation/loop-guard.js";

// Importing loop-guard.ts defines the global `__workbookLoopGuard` that transformed exercise
// code calls; each test starts with a fresh count so long suites never trip it by accumulation.
beforeEach((context) => {
  resetLoopGuard(() => `in the test "${context.task.name}"`);
});
