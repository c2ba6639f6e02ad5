import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { allExercises, loadCatalog, repositoryRoot } from "../workbook/catalog.js";

/**
 * `npx tsx harness/bench/trace-fingerprints.ts [seeds]`: one line per simulated exercise and
 * seed, with a hash of every event of its scenario's run against the reference solution. Run it
 * before and after a change to the simulator and diff the output: a change that is meant to be
 * invisible (a faster event queue, say) must leave every line the same.
 */
const seedCount = Number(process.argv[2] ?? 5);
const scratch = mkdtempSync(join(tmpdir(), "trace-fingerprints-"));
const cli = join(repositoryRoot, "harness", "cli", "main.ts");
try {
  for (const exercise of allExercises(loadCatalog())) {
    if (exercise.scenario === undefined) continue;
    for (let seed = 1; seed <= seedCount; seed++) {
      const out = join(scratch, `${exercise.id}.${seed}.json`);
      const command = [
        "--import",
        "tsx",
        cli,
        "trace",
        exercise.number,
        "--seed",
        String(seed),
        "--solutions",
        "--out",
        out,
      ];
      const result = spawnSync(process.execPath, command, {
        cwd: repositoryRoot,
        encoding: "utf8",
      });
      if (result.status !== 0)
        throw new Error(`trace ${exercise.number} failed:\n${result.stderr}`);
      const document = JSON.parse(readFileSync(out, "utf8")) as {
        runs: { events: unknown[]; states?: unknown }[];
      };
      const events = document.runs.reduce((total, run) => total + run.events.length, 0);
      // The nodes' state snapshots are the viewer's, not the run's: the events are the run.
      const runs = document.runs.map(({ states: _states, ...run }) => run);
      const hash = createHash("sha256").update(JSON.stringify(runs)).digest("hex");
      process.stdout.write(
        `${exercise.number} ${exercise.id} seed ${seed}: ${events} events ${hash.slice(0, 16)}\n`,
      );
    }
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
