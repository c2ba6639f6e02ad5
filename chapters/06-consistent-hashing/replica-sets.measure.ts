import { Random } from "../../harness/index.js";
import { mean, type MeasureFunction } from "../../harness/metrics/measurement.js";
import { randomNodeNames } from "./ring-testing.js";
import { VirtualNodeRing, type VirtualToken } from "./vnode-ring.js";

/**
 * The measurement for exercise 6.2, `npm run workbook -- measure 6.2`: how likely two node
 * failures are to leave some key range without a quorum, against the number of tokens per
 * node. It uses your ring from 6.2.
 *
 * With three replicas, a range loses its quorum (two of three) when both failed nodes are among
 * its three. Each token starts a range whose replicas are the first three distinct nodes
 * clockwise, so the ring has about n·V replica sets; the more there are, the more of the
 * n(n − 1)/2 pairs of nodes share one. With one token per node only neighbours share a range;
 * with 256, nearly every pair does, and any two failures make some keys unavailable.
 */

const replicas = 3;
const tokenCounts = [1, 2, 4, 8, 16, 32, 64, 128, 256];
const clusterSizes = [12, 48];

/** The fraction of pairs of nodes that are both in the replica set of some range. */
export function pairsSharingARange(tokens: readonly VirtualToken[], nodeCount: number): number {
  const shared = new Set<string>();
  for (let start = 0; start < tokens.length; start++) {
    const set: string[] = [];
    for (let step = 0; step < tokens.length && set.length < replicas; step++) {
      const node = tokens[(start + step) % tokens.length]!.node;
      if (!set.includes(node)) set.push(node);
    }
    for (const first of set)
      for (const second of set) if (first < second) shared.add(`${first}\u0000${second}`);
  }
  return shared.size / ((nodeCount * (nodeCount - 1)) / 2);
}

/** The same fraction for one random ring of `nodeCount` nodes with `tokensPerNode` tokens each. */
export function quorumLossProbability(
  random: Random,
  nodeCount: number,
  tokensPerNode: number,
): number {
  const ring = new VirtualNodeRing({ tokensPerNode });
  for (const node of randomNodeNames(random, nodeCount)) ring.add(node);
  return pairsSharingARange(ring.tokens, nodeCount);
}

const measure: MeasureFunction = ({ seeds = 10 } = {}) => {
  const results = clusterSizes.map((nodeCount) =>
    tokenCounts.map((tokensPerNode) => {
      const values = Array.from({ length: seeds }, (_, index) =>
        quorumLossProbability(
          new Random(index + 1, `replica-sets/${nodeCount}/${tokensPerNode}`),
          nodeCount,
          tokensPerNode,
        ),
      );
      // About n·V ranges, each sharing 3 of the n(n − 1)/2 pairs: a pair escapes all of them
      // with probability about (1 − 6/(n(n − 1)))^(nV) ≈ exp(−6V/(n − 1)).
      const estimate = 1 - Math.exp((-6 * tokensPerNode) / (nodeCount - 1));
      return { tokensPerNode, average: mean(values), estimate };
    }),
  );
  const percent = (value: number) => `${(100 * value).toFixed(1)}%`;
  return {
    summary: `For rings of ${clusterSizes.join(" and ")} nodes with three replicas, the probability that two random node failures leave some key range without a quorum (both failed nodes among its three replicas), averaged over ${seeds} rings per point, against tokens per node.`,
    tables: clusterSizes.map((nodeCount, index) => ({
      title: `${nodeCount} nodes, 3 replicas: P(two failures break a quorum somewhere)`,
      columns: ["tokens per node", "measured", "rough estimate 1 − exp(−6V/(n − 1))"],
      rows: results[index]!.map((point) => [
        point.tokensPerNode,
        percent(point.average),
        percent(point.estimate),
      ]),
    })),
    charts: [
      {
        name: "quorum-loss",
        title: "Two failures, three replicas: the chance some keys lose their quorum",
        kind: "line",
        xLabel: "tokens per node (V)",
        yLabel: "probability (%)",
        logX: true,
        series: clusterSizes.flatMap((nodeCount, index) => [
          {
            name: `${nodeCount} nodes, measured`,
            points: results[index]!.map((point) => ({
              x: point.tokensPerNode,
              y: 100 * point.average,
            })),
          },
          {
            name: `${nodeCount} nodes, estimate`,
            points: results[index]!.map((point) => ({
              x: point.tokensPerNode,
              y: 100 * point.estimate,
            })),
          },
        ]),
      },
    ],
  };
};

export default measure;
