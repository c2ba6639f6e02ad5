import type { NodeContext, NodeId, SimulatedNode } from "../../harness/index.js";

/** A write, sent to every replica, stamped with the writer's time-of-day clock. */
export interface WallClockWrite {
  value: string;
  timestampMs: number;
  writer: NodeId;
}

/**
 * Given code for exercise 1.5, not an exercise: a replicated last-writer-wins register that
 * stamps each write with the writer's time-of-day clock, as many real systems do (Cassandra's
 * default write timestamps, for one). It is correct when the clocks agree, and the chapter's
 * demonstration test shows what happens when they do not.
 *
 * Every node holds a copy of the register. A write is applied locally and sent to every other
 * node; each node keeps the write with the largest timestamp, the writer's name breaking ties,
 * so that every replica that has seen the same writes holds the same value.
 */
export class WallClockRegisterNode implements SimulatedNode<WallClockWrite> {
  readonly #context: NodeContext<WallClockWrite>;
  #current: WallClockWrite | undefined;

  constructor(context: NodeContext<WallClockWrite>) {
    this.#context = context;
  }

  /** The value this replica holds, or undefined if it has seen no write. */
  read(): string | undefined {
    return this.#current?.value;
  }

  /** Writes `value` here and sends it to every other replica. */
  write(value: string): void {
    const write: WallClockWrite = {
      value,
      timestampMs: this.#context.now(),
      writer: this.#context.id,
    };
    this.#apply(write);
    this.#context.broadcast(write);
  }

  onMessage(_from: NodeId, write: WallClockWrite): void {
    this.#apply(write);
  }

  #apply(write: WallClockWrite): void {
    const current = this.#current;
    const isLater =
      current === undefined ||
      write.timestampMs > current.timestampMs ||
      (write.timestampMs === current.timestampMs && write.writer > current.writer);
    if (isLater) {
      this.#current = write;
    } else {
      this.#context.note(
        `keep "${current.value}" (stamped ${current.timestampMs.toFixed(1)}ms): "${write.value}" is stamped earlier, ${write.timestampMs.toFixed(1)}ms`,
      );
    }
  }
}
