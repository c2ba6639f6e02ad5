import type { NodeId } from "./types.js";

/** Every kind of thing that can happen in a run, as it appears in the trace. */
export type TraceKind =
  | "start"
  | "crash"
  | "restart"
  | "pause"
  | "resume"
  | "send"
  | "deliver"
  | "drop"
  | "timer"
  | "act"
  | "note"
  | "fault"
  | "clock";

/** One line of the trace: what happened, when in true time, where. */
export interface TraceEvent {
  /**
   * The number of the event during which it happened, from 1. What a test does between runs (a
   * crash, a partition, a clock jump) carries the number of the event before it.
   */
  step: number;
  /** True simulation time, in milliseconds. */
  timeMs: number;
  kind: TraceKind;
  /** The node it happened at (the receiver, for a delivery). */
  node?: NodeId;
  /** The sender, for send, deliver and drop. */
  from?: NodeId;
  /** The receiver, for send and drop. */
  to?: NodeId;
  /** The message as it went on the wire, as JSON text. */
  message?: string;
  /** Anything else worth saying: a timer's name, why a message was dropped, a node's note. */
  detail?: string;
}

/** The whole record of a run, as `trace --out` writes it. */
export interface TraceDocument {
  name: string;
  seed: number;
  /** True when early events were discarded because the simulation kept only the recent ones. */
  truncated: boolean;
  events: TraceEvent[];
}

/**
 * Keeps the trace: all of it, or a ring of the most recent events (enough to explain a failure
 * without paying for a million-event record in every test).
 */
export class TraceRecorder {
  readonly #keep: number;
  #events: TraceEvent[] = [];
  #start = 0;
  #discarded = 0;

  constructor(keep: number | "all") {
    this.#keep = keep === "all" ? Infinity : keep;
  }

  record(event: TraceEvent): void {
    if (this.#events.length < this.#keep) {
      this.#events.push(event);
      return;
    }
    if (this.#keep === 0) return;
    this.#events[this.#start] = event;
    this.#start = (this.#start + 1) % this.#keep;
    this.#discarded++;
  }

  get truncated(): boolean {
    return this.#discarded > 0;
  }

  /** The kept events, oldest first. */
  events(): TraceEvent[] {
    return [...this.#events.slice(this.#start), ...this.#events.slice(0, this.#start)];
  }
}

/**
 * One event as one line of stable text: `  120.000 #42 deliver n1 → n2 {"type":"ping"}`.
 * Fixed-width time and kind columns make a trace easy to scan and to diff.
 */
export function formatTraceEvent(event: TraceEvent): string {
  const time = event.timeMs.toFixed(3).padStart(10);
  const step = `#${event.step}`.padEnd(7);
  const kind = event.kind.padEnd(7);
  let where = event.node ?? "";
  if (event.kind === "send" || event.kind === "drop") where = `${event.from} → ${event.to}`;
  if (event.kind === "deliver") where = `${event.from} → ${event.node}`;
  const parts = [`${time} ${step} ${kind}`];
  // An event at no node (a partition, a scheduled action) keeps its detail in the same column.
  if (where !== "") parts.push(where);
  if (event.message !== undefined) parts.push(event.message);
  if (event.detail !== undefined)
    parts.push(event.kind === "note" ? event.detail : `(${event.detail})`);
  return parts.join(" ").trimEnd();
}

/** The trace as text, one event per line. */
export function formatTrace(events: readonly TraceEvent[]): string {
  return events.map(formatTraceEvent).join("\n");
}
