import type { NodeStateSnapshot } from "./node-state.js";
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
  /** How many early events were discarded (absent in documents written before it existed). */
  discarded?: number;
  events: TraceEvent[];
  /** Nodes' public state after each event that changed it; only in runs `workbook trace` records. */
  states?: NodeStateSnapshot[];
}

/**
 * The most events `traceKeep: "all"` keeps: about 100 MB of memory, and far more than any
 * exercise's run. A longer run keeps its most recent events, and its document says it was cut.
 */
export const wholeTraceEventsMax = 500_000;

/** What `TraceRecorder.add` is given for an event that carries no message copy. */
export const noPayload: unique symbol = Symbol("no payload");

/**
 * Keeps the trace: all of it (up to `wholeTraceEventsMax`), or a ring of the most recent
 * events (enough to explain a failure without paying for a million-event record in every
 * test). Recording builds no strings and no objects: each field goes into its own array (a
 * ring, once full, is overwritten in place), and a message is kept as its copy, written as JSON
 * text only when the trace is read, which for a passing test is never.
 */
export class TraceRecorder {
  readonly #keep: number;
  readonly #steps: number[] = [];
  readonly #times: number[] = [];
  readonly #kinds: TraceKind[] = [];
  readonly #nodes: Array<NodeId | undefined> = [];
  readonly #froms: Array<NodeId | undefined> = [];
  readonly #tos: Array<NodeId | undefined> = [];
  readonly #messages: Array<string | undefined> = [];
  /** A message's copy (which nothing may change) until its text is needed, or `noPayload`. */
  readonly #payloads: unknown[] = [];
  readonly #details: Array<string | undefined> = [];
  #start = 0;
  #discarded = 0;

  constructor(keep: number | "all") {
    this.#keep = keep === "all" ? wholeTraceEventsMax : Math.min(keep, wholeTraceEventsMax);
  }

  record(event: TraceEvent): void {
    const { step, timeMs, kind, node, from, to, message, detail } = event;
    this.add(step, timeMs, kind, node, from, to, message, noPayload, detail);
  }

  /**
   * Records one event from its fields; `payload` is a message's copy, which must never change
   * afterwards, written as JSON text when the trace is read (pass `message` text instead).
   */
  add(
    step: number,
    timeMs: number,
    kind: TraceKind,
    node: NodeId | undefined,
    from: NodeId | undefined,
    to: NodeId | undefined,
    message: string | undefined,
    payload: unknown,
    detail: string | undefined,
  ): void {
    if (this.#steps.length < this.#keep) {
      this.#steps.push(step);
      this.#times.push(timeMs);
      this.#kinds.push(kind);
      this.#nodes.push(node);
      this.#froms.push(from);
      this.#tos.push(to);
      this.#messages.push(message);
      this.#payloads.push(payload);
      this.#details.push(detail);
      return;
    }
    if (this.#keep === 0) return;
    const at = this.#start;
    this.#steps[at] = step;
    this.#times[at] = timeMs;
    this.#kinds[at] = kind;
    this.#nodes[at] = node;
    this.#froms[at] = from;
    this.#tos[at] = to;
    this.#messages[at] = message;
    this.#payloads[at] = payload;
    this.#details[at] = detail;
    this.#start = at + 1 === this.#keep ? 0 : at + 1;
    this.#discarded++;
  }

  get truncated(): boolean {
    return this.#discarded > 0;
  }

  /** How many of the earliest events were discarded to keep within the limit. */
  get discarded(): number {
    return this.#discarded;
  }

  /** The kept events, oldest first. */
  events(): TraceEvent[] {
    const length = this.#steps.length;
    const events: TraceEvent[] = new Array(length);
    for (let index = 0; index < length; index++) {
      events[index] = this.#eventAt((this.#start + index) % length);
    }
    return events;
  }

  /** The newest event, if any. */
  last(): TraceEvent | undefined {
    const length = this.#steps.length;
    if (length === 0) return undefined;
    return this.#eventAt((this.#start + length - 1) % length);
  }

  /** A kept event as a TraceEvent, its fields in one fixed order and only those it has. */
  #eventAt(at: number): TraceEvent {
    if (this.#payloads[at] !== noPayload) {
      this.#messages[at] = JSON.stringify(this.#payloads[at]);
      this.#payloads[at] = noPayload;
    }
    const message = this.#messages[at];
    const event: TraceEvent = {
      step: this.#steps[at]!,
      timeMs: this.#times[at]!,
      kind: this.#kinds[at]!,
    };
    const node = this.#nodes[at];
    const from = this.#froms[at];
    const to = this.#tos[at];
    const detail = this.#details[at];
    if (node !== undefined) event.node = node;
    if (from !== undefined) event.from = from;
    if (to !== undefined) event.to = to;
    if (message !== undefined) event.message = message;
    if (detail !== undefined) event.detail = detail;
    return event;
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
