import { Random } from "../../harness/index.js";
import {
  mean,
  quantile,
  type MeasureFunction,
  type Measurement,
} from "../../harness/metrics/measurement.js";
import { PhiAccrualDetector } from "./phi-accrual.js";

// Measurement for exercise 5.3: what the threshold buys. Run: npm run workbook -- measure 5.3
// It drives your detector; you do not need to change anything here.

/** The thresholds the measurement sweeps. */
export const thresholds = [1, 2, 3, 4, 5, 6, 8, 10, 12, 16];

/** Heartbeats are sent this often; the network adds jitter and now and then a long delay. */
const heartbeatIntervalMs = 1000;
const heartbeatsPerRun = 400;
/** Every heartbeat is delayed by 0–200 ms; one in 20 is delayed by up to 1.5 s more. */
const jitterMsMax = 200;
const spikeChance = 0.05;
const spikeMsMax = 1500;
/** The detector is asked every 10 ms, as a node's timer would. */
const pollMs = 10;

/** What one threshold and one model gave, averaged over the seeds. */
export interface ThresholdResult {
  threshold: number;
  distribution: "normal" | "exponential";
  /** How often the detector suspected a node that was alive and sending, per 1,000 heartbeats. */
  falseSuspicionsPerThousand: number;
  /** How long after a crash the detector first suspected the node, in ms: mean and worst. */
  detectionMsMean: number;
  detectionMsMax: number;
}

/** One run: heartbeats with jitter, then a crash; false suspicions and time to detect it. */
function runOnce(
  seed: number,
  threshold: number,
  distribution: "normal" | "exponential",
): { falseSuspicions: number; detectionMs: number } {
  const random = new Random(seed, "phi-accrual measurement");
  const detector = new PhiAccrualDetector({ threshold, distribution, minStdDeviationMs: 50 });
  const arrivals: number[] = [];
  for (let beat = 0; beat < heartbeatsPerRun; beat++) {
    const delayMs =
      random.between(0, jitterMsMax) +
      (random.chance(spikeChance) ? random.between(0, spikeMsMax) : 0);
    arrivals.push(beat * heartbeatIntervalMs + delayMs);
  }
  arrivals.sort((a, b) => a - b);
  let falseSuspicions = 0;
  let previousMs: number | undefined;
  for (const arrivalMs of arrivals) {
    if (previousMs !== undefined) {
      // Did a poll between the previous heartbeat and this one find the node suspicious?
      // phi only grows during a silence, so the last poll before the arrival is the one to ask.
      const lastPollMs = arrivalMs - (arrivalMs % pollMs);
      if (lastPollMs > previousMs && !detector.isAvailable(lastPollMs)) falseSuspicions++;
    }
    detector.heartbeat(arrivalMs);
    previousMs = arrivalMs;
  }
  // The node crashes just after its last heartbeat was sent: the next one never comes.
  const crashMs = (heartbeatsPerRun - 1) * heartbeatIntervalMs;
  const lastArrivalMs = arrivals.at(-1)!;
  let pollAtMs = lastArrivalMs - (lastArrivalMs % pollMs) + pollMs;
  const giveUpMs = lastArrivalMs + 600_000;
  while (detector.isAvailable(pollAtMs) && pollAtMs < giveUpMs) pollAtMs += pollMs;
  return { falseSuspicions, detectionMs: pollAtMs - crashMs };
}

/** Every threshold under both models, `seeds` runs each. */
export function measureThresholds(seeds: number): ThresholdResult[] {
  const results: ThresholdResult[] = [];
  for (const distribution of ["normal", "exponential"] as const) {
    for (const threshold of thresholds) {
      const runs = Array.from({ length: seeds }, (_, index) =>
        runOnce(index + 1, threshold, distribution),
      );
      const detections = runs.map((run) => run.detectionMs);
      results.push({
        threshold,
        distribution,
        falseSuspicionsPerThousand:
          (mean(runs.map((run) => run.falseSuspicions)) / (heartbeatsPerRun - 1)) * 1000,
        detectionMsMean: mean(detections),
        detectionMsMax: quantile(detections, 1),
      });
    }
  }
  return results;
}

const measure: MeasureFunction = ({ seeds = 20 } = {}): Measurement => {
  const results = measureThresholds(seeds);
  const series = (distribution: "normal" | "exponential", y: (row: ThresholdResult) => number) =>
    results
      .filter((row) => row.distribution === distribution)
      .map((row) => ({ x: row.threshold, y: y(row) }));
  return {
    summary:
      `Heartbeats every ${heartbeatIntervalMs} ms, delayed by 0–${jitterMsMax} ms and one in ` +
      `${1 / spikeChance} by up to ${spikeMsMax} ms more; the detector is polled every ${pollMs} ms; ` +
      `${heartbeatsPerRun} heartbeats then a crash, ${seeds} seeds per threshold.`,
    tables: [
      {
        title: "What the threshold buys",
        columns: [
          "model",
          "threshold",
          "false suspicions per 1,000 heartbeats",
          "mean time to detect (ms)",
          "worst time to detect (ms)",
        ],
        rows: results.map((row) => [
          row.distribution,
          row.threshold,
          row.falseSuspicionsPerThousand.toFixed(2),
          Math.round(row.detectionMsMean),
          Math.round(row.detectionMsMax),
        ]),
      },
    ],
    charts: [
      {
        name: "false-suspicions",
        title: "False suspicions against threshold",
        kind: "line",
        xLabel: "threshold (phi)",
        yLabel: "false suspicions per 1,000 heartbeats",
        series: [
          {
            name: "normal (Akka)",
            points: series("normal", (row) => row.falseSuspicionsPerThousand),
          },
          {
            name: "exponential (Cassandra)",
            points: series("exponential", (row) => row.falseSuspicionsPerThousand),
          },
        ],
      },
      {
        name: "detection-time",
        title: "Time to detect a crash against threshold",
        kind: "line",
        xLabel: "threshold (phi)",
        yLabel: "mean time to detect (ms)",
        series: [
          { name: "normal (Akka)", points: series("normal", (row) => row.detectionMsMean) },
          {
            name: "exponential (Cassandra)",
            points: series("exponential", (row) => row.detectionMsMean),
          },
        ],
      },
    ],
  };
};

export default measure;
