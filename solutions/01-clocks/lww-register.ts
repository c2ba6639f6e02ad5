import type { NodeContext, NodeId, SimulatedNode } from "../../harness/index.js";
import {
  compareTimestamps,
  HybridLogicalClock,
  type HybridTimestamp,
} from "./hybrid-logical-clock.js";

/** A write, sent to every replica: the value, when it was written, and by whom. */
export interface LwwWrite {
  value: string;
  timestamp: HybridTimestamp;
  /** The node that wrote it: breaks ties between writes with the same timestamp. */
  writer: NodeId;
}

/**
 * Exercise 1.5 — a replicated last-writer-wins register whose timestamps never let a causally
 * later write lose. Every node holds a copy; a write is applied locally and sent to every other
 * node, and each node keeps the write with the latest timestamp.
 *
 * Stamped with time-of-day clocks (see wall-clock-register.ts), a write made after reading a
 * value can carry an earlier timestamp than that value, when the writer's clock is behind, and
 * lose. Here each node stamps writes with a hybrid logical clock instead, and takes every
 * timestamp it receives into that clock, so a write made after seeing another is stamped later.
 *
 * Why a hybrid logical clock rather than a Lamport clock (which would also make causally later
 * writes win): among concurrent writes, which no ordering rule can get "right", a Lamport clock
 * favours the node that has counted the most events, which can be a write from minutes ago. An
 * HLC timestamp stays within the clock skew of physical time, so the write that wins is also,
 * give or take the skew, the last one in real time, and its timestamp still says when it was
 * written.
 *
 * Equal timestamps go to the writer whose name sorts last. Any fixed rule would do; what
 * matters is that every replica applies the same one.
 *
 * The network may delay, reorder and duplicate writes but not lose them: a replica that missed
 * a write would keep an older value for ever (anti-entropy is another exercise).
 */
export class LwwRegisterNode implements SimulatedNode<LwwWrite> {
  readonly #context: NodeContext<LwwWrite>;
  readonly #clock: HybridLogicalClock;
  #current: LwwWrite | undefined;

  constructor(context: NodeContext<LwwWrite>) {
    this.#context = context;
    this.#clock = new HybridLogicalClock(() => context.now());
  }

  /** The value this replica holds, or undefined if it has seen no write. */
  read(): string | undefined {
    return this.#current?.value;
  }

  /** Writes `value` here and sends it to every other replica. */
  write(value: string): void {
    // The clock has taken in every timestamp this node has seen, so the new write is stamped
    // later than the value it replaces, however far behind the physical clock is.
    const write: LwwWrite = { value, timestamp: this.#clock.now(), writer: this.#context.id };
    this.#apply(write);
    this.#context.broadcast(write);
  }

  onMessage(_from: NodeId, write: LwwWrite): void {
    // Taken in even when the write loses: whatever this node writes next comes after it.
    this.#clock.receive(write.timestamp);
    this.#apply(write);
  }

  #apply(write: LwwWrite): void {
    const current = this.#current;
    if (current === undefined || isLater(write, current)) {
      this.#current = write;
    } else if (current.value !== write.value || current.writer !== write.writer) {
      this.#context.note(
        `keep "${current.value}" ${JSON.stringify(current.timestamp)}: it beats "${write.value}" ${JSON.stringify(write.timestamp)}`,
      );
    }
  }
}

/** Whether `write` should replace `current`: a later timestamp wins, then the later writer name. */
function isLater(write: LwwWrite, current: LwwWrite): boolean {
  const order = compareTimestamps(write.timestamp, current.timestamp);
  if (order !== 0) return order > 0;
  // Two nodes can stamp writes identically in the same millisecond. Without a rule, each
  // replica would keep whichever it saw first, and they would disagree for ever.
  return write.writer > current.writer;
}
