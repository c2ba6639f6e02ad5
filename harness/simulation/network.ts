import type { LinkOptions, NodeId } from "./types.js";

export const defaultLinkOptions: LinkOptions = {
  latencyMs: { min: 1, max: 10 },
  lossRate: 0,
  duplicateRate: 0,
};

/**
 * Which links are up and how each behaves. Faults come in pairs that undo each other:
 * partition/heal, cut/repair, and setLink/clearLink.
 */
export class Network {
  #defaults: LinkOptions;
  #linkOverrides = new Map<string, Partial<LinkOptions>>();
  #cutLinks = new Set<string>();
  /** Which side of the current partition each node is on; empty when there is none. */
  #sideOf = new Map<NodeId, number>();
  /** Nodes cut off from every other node, kept apart from the partition so both can hold. */
  #isolated = new Set<NodeId>();

  constructor(defaults: Partial<LinkOptions> = {}) {
    this.#defaults = validLinkOptions({ ...defaultLinkOptions, ...defaults });
  }

  setDefaults(options: Partial<LinkOptions>): void {
    this.#defaults = validLinkOptions({ ...this.#defaults, ...options });
  }

  setLink(from: NodeId, to: NodeId, options: Partial<LinkOptions>): void {
    validLinkOptions({ ...this.#defaults, ...options });
    this.#linkOverrides.set(linkKey(from, to), options);
  }

  clearLink(from: NodeId, to: NodeId): void {
    this.#linkOverrides.delete(linkKey(from, to));
  }

  optionsFor(from: NodeId, to: NodeId): LinkOptions {
    const override = this.#linkOverrides.get(linkKey(from, to));
    return override === undefined ? this.#defaults : { ...this.#defaults, ...override };
  }

  /** Splits the nodes into sides that cannot reach each other; unnamed nodes form one more side. */
  partition(sides: readonly (readonly NodeId[])[]): void {
    // Built aside and swapped in, so a rejected partition leaves the current one in place.
    const sideOf = new Map<NodeId, number>();
    sides.forEach((side, index) => {
      for (const node of side) {
        if (sideOf.has(node)) throw new RangeError(`Node ${node} is on two sides of the partition`);
        sideOf.set(node, index);
      }
    });
    this.#sideOf = sideOf;
  }

  /** Cuts `node` off from every other node, both ways, on top of any partition or cut. */
  isolate(node: NodeId): void {
    this.#isolated.add(node);
  }

  /** Cuts the one-way link from `from` to `to`. */
  cut(from: NodeId, to: NodeId): void {
    this.#cutLinks.add(linkKey(from, to));
  }

  repair(from: NodeId, to: NodeId): void {
    this.#cutLinks.delete(linkKey(from, to));
  }

  /** Removes every partition and cut link; per-link latency and loss settings stay. */
  heal(): void {
    this.#sideOf.clear();
    this.#isolated.clear();
    this.#cutLinks.clear();
  }

  /** Whether a message from `from` can reach `to` right now. */
  connected(from: NodeId, to: NodeId): boolean {
    if (this.#cutLinks.has(linkKey(from, to))) return false;
    // A node can still reach itself: isolation cuts the network, not the process.
    if (from !== to && (this.#isolated.has(from) || this.#isolated.has(to))) return false;
    if (this.#sideOf.size === 0) return true;
    return (this.#sideOf.get(from) ?? -1) === (this.#sideOf.get(to) ?? -1);
  }
}

function linkKey(from: NodeId, to: NodeId): string {
  return `${from}\u0000${to}`;
}

function validLinkOptions(options: LinkOptions): LinkOptions {
  const { latencyMs, lossRate, duplicateRate } = options;
  const { min, max } = latencyMs;
  if (!(Number.isFinite(min) && Number.isFinite(max) && min >= 0 && max >= min)) {
    throw new RangeError(
      `Expected latencyMs to be { min, max } with 0 <= min <= max, both finite, got ${JSON.stringify(latencyMs)}`,
    );
  }
  for (const [name, rate] of [
    ["lossRate", lossRate],
    ["duplicateRate", duplicateRate],
  ] as const) {
    if (!(rate >= 0 && rate <= 1))
      throw new RangeError(`Expected ${name} between 0 and 1, got ${rate}`);
  }
  return options;
}
