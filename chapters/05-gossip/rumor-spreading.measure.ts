import { Random, Simulation, totalMessageCounts } from "../../harness/index.js";
import { mean, type MeasureFunction, type Measurement } from "../../harness/metrics/measurement.js";
import { RumorNode, type RumorMessage, type RumorMode } from "./rumor-spreading.js";

// Measurement for exercise 5.2: rounds until everyone knows, against N and against theory.
// Run: npm run workbook -- measure 5.2. It drives your RumorNode; you need not change anything.

export const modes: RumorMode[] = ["push", "pull", "push-pull"];
export const fanouts = [1, 3];
export const sizes = [25, 50, 100, 250, 500, 1000];

/**
 * The rounds the notes derive, to leading order: an early phase in which the informed grow by a
 * factor (1 + f) a round (1 + 2f for push-pull), then a tail: push misses each uninformed node
 * with probability e^−f a round (ln N / f rounds); pull and push-pull square the uninformed
 * fraction's exponent, (f + 1)-fold, a round (log_(f+1) log2 N rounds).
 */
export function theoryRounds(mode: RumorMode, fanout: number, size: number): number {
  const log = (base: number, x: number) => Math.log(x) / Math.log(base);
  if (mode === "push") return log(1 + fanout, size) + Math.log(size) / fanout;
  const early = mode === "pull" ? log(1 + fanout, size) : log(1 + 2 * fanout, size);
  return early + log(1 + fanout, Math.log2(size));
}

/** One run: rounds until every node knows, and the messages sent until then. */
export function spreadOnce(
  seed: number,
  mode: RumorMode,
  fanout: number,
  size: number,
  lossRate = 0,
): { rounds: number; messages: number } {
  const simulation = new Simulation<RumorMessage>({
    seed,
    name: `rumor ${mode} f${fanout} n${size}`,
    network: { latencyMs: { min: 1, max: 10 }, lossRate },
    stepsMax: 5_000_000,
  });
  const ids = Array.from({ length: size }, (_, index) => `n${index + 1}`);
  const nodes = simulation.addNodes(ids, (context) => new RumorNode(context, { mode, fanout }));
  const origin = new Random(seed, "origin").pick(ids);
  simulation.act<RumorNode>(origin, "the rumour starts", (node) => node.start());
  const everyone = () => nodes.liveNodes().every((node) => node.informedRound !== undefined);
  // Checked once per round, just before the next: all of a round's calls have landed by then.
  const roundsMax = 200;
  for (let round = 1; round <= roundsMax && !everyone(); round++) simulation.runFor(100);
  if (!everyone())
    throw new Error(
      `${mode} with fanout ${fanout} did not reach all ${size} nodes within ${roundsMax} rounds (seed ${seed})`,
    );
  const rounds = Math.max(...nodes.liveNodes().map((node) => node.informedRound!));
  return { rounds, messages: totalMessageCounts(simulation.messageCounts()).sent };
}

export interface SpreadResult {
  mode: RumorMode;
  fanout: number;
  size: number;
  roundsMean: number;
  roundsMax: number;
  theory: number;
  messagesPerNode: number;
}

export function measureSpread(
  seeds: number,
  sizesToRun: readonly number[] = sizes,
): SpreadResult[] {
  const results: SpreadResult[] = [];
  for (const mode of modes)
    for (const fanout of fanouts)
      for (const size of sizesToRun) {
        const runs = Array.from({ length: seeds }, (_, index) =>
          spreadOnce(index + 1, mode, fanout, size),
        );
        results.push({
          mode,
          fanout,
          size,
          roundsMean: mean(runs.map((run) => run.rounds)),
          roundsMax: Math.max(...runs.map((run) => run.rounds)),
          theory: theoryRounds(mode, fanout, size),
          messagesPerNode: mean(runs.map((run) => run.messages)) / size,
        });
      }
  return results;
}

const measure: MeasureFunction = ({ seeds = 3 } = {}): Measurement => {
  const results = measureSpread(seeds);
  return {
    summary: `Rounds until every node knows the rumour, from one random origin, ${seeds} seed${seeds === 1 ? "" : "s"} per point; rounds of 100 ms, latency 1–10 ms, no loss. Theory as derived in the notes.`,
    tables: [
      {
        title: "Rounds to full spread",
        columns: ["mode", "fanout", "N", "mean rounds", "worst", "theory", "messages per node"],
        rows: results.map((row) => [
          row.mode,
          row.fanout,
          row.size,
          row.roundsMean.toFixed(1),
          row.roundsMax,
          row.theory.toFixed(1),
          row.messagesPerNode.toFixed(1),
        ]),
      },
    ],
    charts: fanouts.map((fanout) => ({
      name: `rounds-fanout-${fanout}`,
      title: `Rounds to full spread, fanout ${fanout}`,
      kind: "line" as const,
      xLabel: "N (nodes)",
      yLabel: "rounds",
      logX: true,
      series: modes.flatMap((mode) => {
        const rows = results.filter((row) => row.mode === mode && row.fanout === fanout);
        return [
          {
            name: `${mode} measured`,
            points: rows.map((row) => ({ x: row.size, y: row.roundsMean })),
          },
          { name: `${mode} theory`, points: rows.map((row) => ({ x: row.size, y: row.theory })) },
        ];
      }),
    })),
  };
};

export default measure;
