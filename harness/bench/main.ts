import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { Simulation } from "../simulation/simulation.js";
import type { NodeContext, NodeId, SimulatedNode } from "../simulation/types.js";
import { testFileOf } from "../cli/selection.js";
import { allExercises, loadCatalog, repositoryRoot } from "../workbook/catalog.js";
import { runVitest } from "../workbook/run-vitest.js";
import { viewerBenchRows } from "../viewer/bench.js";

/**
 * `npm run bench`: how fast the simulator runs and how long a learner waits. Speed is measured
 * here, never asserted in tests, because a loaded CI machine would make such tests flaky.
 */

type Gossip = { type: "gossip"; round: number; origin: NodeId; hops: number };

/** Every node gossips each round to three random peers, which pass it on once: message-heavy by design. */
class GossipNode implements SimulatedNode<Gossip> {
  readonly #context: NodeContext<Gossip>;
  #round = 0;

  constructor(context: NodeContext<Gossip>) {
    this.#context = context;
  }

  onStart(): void {
    this.#context.setTimer("round", this.#context.randomInt(1, 10));
  }

  onTimer(): void {
    this.#round++;
    this.#fanOut({ type: "gossip", round: this.#round, origin: this.#context.id, hops: 0 });
    this.#context.setTimer("round", 10);
  }

  onMessage(_from: NodeId, message: Gossip): void {
    if (message.hops < 1) this.#fanOut({ ...message, hops: message.hops + 1 });
  }

  #fanOut(message: Gossip): void {
    const peers = this.#context.peers;
    for (let copy = 0; copy < 3; copy++) {
      this.#context.send(peers[this.#context.randomInt(0, peers.length - 1)]!, message);
    }
  }
}

function simulatorThroughput(traceKeep: number | "all"): { events: number; seconds: number } {
  const simulation = new Simulation<Gossip>({
    seed: 1,
    network: { latencyMs: { min: 1, max: 20 }, lossRate: 0.05, duplicateRate: 0.05 },
    clocks: { offsetMsMax: 100, driftPpmMax: 100 },
    stepsMax: 10_000_000,
    traceKeep,
  });
  const ids = Array.from({ length: 20 }, (_, index) => `n${index + 1}`);
  simulation.addNodes(ids, (context) => new GossipNode(context));
  const started = performance.now();
  simulation.runFor(5_000);
  return { events: simulation.steps, seconds: (performance.now() - started) / 1000 };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function timeCommand(args: string[]): number {
  const started = performance.now();
  spawnSync(process.execPath, args, { cwd: repositoryRoot, stdio: "ignore" });
  return (performance.now() - started) / 1000;
}

async function main(): Promise<void> {
  const rows: Array<[string, string]> = [];
  const format = (value: number, unit: string, digits = 2): string =>
    `${value.toLocaleString("en", { maximumFractionDigits: digits })} ${unit}`;

  simulatorThroughput(200); // Warm up the JIT so the measured runs compare like with like.
  const recent = Array.from({ length: 3 }, () => simulatorThroughput(200));
  const full = Array.from({ length: 3 }, () => simulatorThroughput("all"));
  const events = recent[0]!.events;
  rows.push(["simulator: gossip, 20 nodes, 5 s simulated", format(events, "events")]);
  rows.push([
    "  events per second (recent trace kept)",
    format(median(recent.map((run) => run.events / run.seconds)), "events/s", 0),
  ]);
  rows.push([
    "  events per second (whole trace kept)",
    format(median(full.map((run) => run.events / run.seconds)), "events/s", 0),
  ]);

  const tsx = join(repositoryRoot, "node_modules", "tsx", "dist", "cli.mjs");
  const cli = join(repositoryRoot, "harness", "cli", "main.ts");
  const first = allExercises(loadCatalog())[0]!;
  const loop = median(
    Array.from({ length: 3 }, () => timeCommand([tsx, cli, "test", first.number, "--solutions"])),
  );
  rows.push([`learner loop: workbook test ${first.number} --solutions (wall)`, format(loop, "s")]);

  for (const chapter of loadCatalog()) {
    const chapterWall = median(
      Array.from({ length: 3 }, () =>
        timeCommand([tsx, cli, "test", String(chapter.number), "--solutions"]),
      ),
    );
    rows.push([
      `chapter ${chapter.number}: workbook test ${chapter.number} --solutions (wall)`,
      format(chapterWall, "s"),
    ]);
  }

  const started = performance.now();
  const suite = await runVitest({ projects: ["solutions"], output: "quiet" });
  rows.push(["whole solutions suite (wall)", format((performance.now() - started) / 1000, "s")]);
  const failed = suite.outcomes.filter((outcome) => outcome.state === "failed").length;
  if (failed > 0) rows.push(["  failing solution tests (see npm test)", String(failed)]);
  for (const exercise of allExercises(loadCatalog())) {
    const own = suite.outcomes.filter((outcome) => outcome.file === testFileOf(exercise));
    const milliseconds = own.reduce((total, outcome) => total + outcome.durationMs, 0);
    rows.push([
      `  ${exercise.number} ${exercise.id} (${own.length} tests, time in tests)`,
      format(milliseconds / 1000, "s"),
    ]);
  }

  rows.push(...(await viewerBenchRows()));

  const width = Math.max(...rows.map(([name]) => name.length));
  process.stdout.write(
    `\n${"measure".padEnd(width)}  value\n${"-".repeat(width)}  ${"-".repeat(16)}\n`,
  );
  for (const [name, value] of rows) process.stdout.write(`${name.padEnd(width)}  ${value}\n`);
  process.stdout.write(`\nnode ${process.version}, ${process.platform}/${process.arch}\n`);
}

await main();
