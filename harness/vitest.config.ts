import { defineConfig } from "vitest/config";
import { workbookConfig } from "./workbook/vitest-config.js";

/**
 * The workbook's projects (harness, chapters, solutions and, with WORKBOOK_MUTANTS=1, mutants),
 * described in workbook/vitest-config.ts, for `npm run ui` and anyone running vitest by hand.
 * The workbook's own commands pass the same config to vitest's Node API directly.
 */
export default defineConfig(await workbookConfig());
