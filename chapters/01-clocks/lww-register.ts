import { todo, type NodeContext, type NodeId, type SimulatedNode } from "../../harness/index.js";
// Your hybrid logical clock from exercise 1.4. A Lamport clock, with the node's name to break
// ties, would also let causally later writes win: think about which write each one lets win
// among concurrent writes, and pick.
import type { HybridTimestamp } from "./hybrid-logical-clock.js";

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
 * lose. Stamp writes with a clock that takes in every timestamp the node receives, so that a
 * write made after seeing another is stamped later, and break ties between equal timestamps
 * the same way on every replica.
 *
 * The network may delay, reorder and duplicate writes but not lose them: a replica that missed
 * a write would keep an older value for ever (anti-entropy is another exercise).
 */
export class LwwRegisterNode implements SimulatedNode<LwwWrite> {
  readonly #context: NodeContext<LwwWrite>;

  constructor(context: NodeContext<LwwWrite>) {
    // Create your clock here: `new HybridLogicalClock(() => context.now())`.
    this.#context = context;
  }

  /** The value this replica holds, or undefined if it has seen no write. */
  read(): string | undefined {
    return todo("1.5", "return the value of the latest write this replica has kept");
  }

  /** Writes `value` here and sends it to every other replica. */
  write(value: string): void {
    todo(
      "1.5",
      `stamp "${value}" with ${this.#context.id}'s clock, keep it here if it is the latest, and send it to every peer`,
    );
  }

  onMessage(from: NodeId, write: LwwWrite): void {
    todo(
      "1.5",
      `take the timestamp of ${from}'s write "${write.value}" into the clock, then keep the write if it is later than the current one (ties go the same way everywhere)`,
    );
  }
}
