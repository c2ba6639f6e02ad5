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
  /** Per sender, per receiver: maps of maps, so that no lookup builds a string. */
  #linkOptions = new Map<NodeId, Map<NodeId, LinkOptions>>();
  #linkOverrides = new Map<NodeId, Map<NodeId, Partial<LinkOptions>>>();
  #cutLinks = new Map<NodeId, Set<NodeId>>();
  #cutLinkCount = 0;
  /** Which side of the current partition each node is on; empty when there is none. */
  #sideOf = new Map<NodeId, number>();
  /** Nodes cut off from every other node, kept apart from the partition so both can hold. */
  #isolated = new Set<NodeId>();

  constructor(defaults: Partial<LinkOptions> = {}) {
    this.#defaults = validLinkOptions({ ...defaultLinkOptions, ...defaults });
  }

  setDefaults(options: Partial<LinkOptions>): void {
    this.#defaults = validLinkOptions({ ...this.#defaults, ...options });
    this.#mergeLinkOptions();
  }

  setLink(from: NodeId, to: NodeId, options: Partial<LinkOptions>): void {
    validLinkOptions({ ...this.#defaults, ...options });
    let overrides = this.#linkOverrides.get(from);
    if (overrides === undefined) this.#linkOverrides.set(from, (overrides = new Map()));
    overrides.set(to, options);
    this.#mergeLinkOptions();
  }

  clearLink(from: NodeId, to: NodeId): void {
    this.#linkOverrides.get(from)?.delete(to);
    this.#mergeLinkOptions();
  }

  optionsFor(from: NodeId, to: NodeId): LinkOptions {
    if (this.#linkOptions.size === 0) return this.#defaults;
    return this.#linkOptions.get(from)?.get(to) ?? this.#defaults;
  }

  /** Each overridden link's options merged with the defaults once, not once per message. */
  #mergeLinkOptions(): void {
    this.#linkOptions.clear();
    for (const [from, overrides] of this.#linkOverrides) {
      for (const [to, override] of overrides) {
        let merged = this.#linkOptions.get(from);
        if (merged === undefined) this.#linkOptions.set(from, (merged = new Map()));
        merged.set(to, { ...this.#defaults, ...override });
      }
    }
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
    let cut = this.#cutLinks.get(from);
    if (cut === undefined) this.#cutLinks.set(from, (cut = new Set()));
    if (!cut.has(to)) this.#cutLinkCount++;
    cut.add(to);
  }

  repair(from: NodeId, to: NodeId): void {
    if (this.#cutLinks.get(from)?.delete(to) === true) this.#cutLinkCount--;
  }

  /** Removes every partition and cut link; per-link latency and loss settings stay. */
  heal(): void {
    this.#sideOf.clear();
    this.#isolated.clear();
    this.#cutLinks.clear();
    this.#cutLinkCount = 0;
  }

  /** Whether a message from `from` can reach `to` right now. */
  connected(from: NodeId, to: NodeId): boolean {
    if (this.#cutLinkCount > 0 && this.#cutLinks.get(from)?.has(to) === true) return false;
    // A node can still reach itself: isolation cuts the network, not the process.
    if (
      this.#isolated.size > 0 &&
      from !== to &&
      (this.#isolated.has(from) || this.#isolated.has(to))
    )
      return false;
    if (this.#sideOf.size === 0) return true;
    return (this.#sideOf.get(from) ?? -1) === (this.#sideOf.get(to) ?? -1);
  }
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
