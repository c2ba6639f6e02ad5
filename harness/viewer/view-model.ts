import type { TraceDocument, TraceEvent } from "../simulation/trace.js";

/**
 * What the space-time viewer draws, worked out from a trace before the page opens: the page
 * only lays out and paints. Keeping the reading of a trace here, in plain TypeScript with its
 * own tests, means the picture a learner sees is checked without a browser, and the page's
 * script stays about drawing.
 */

/** One message, from its send to what became of it. */
export interface ViewMessage {
  /** Index of the send event in the run's events. */
  send: number;
  /** Index of the event that ended it: a delivery or a drop; absent while still in flight. */
  end?: number;
  from: string;
  to: string;
  sentMs: number;
  /** When it arrived or was dropped; for a message still in flight, the end of the run. */
  endedMs: number;
  /** The message's `type` field when it has one, for filtering; otherwise "message". */
  type: string;
  outcome: "delivered" | "lost" | "partitioned" | "receiver down" | "in flight";
  /** A second delivery of one send: the network duplicated it. */
  duplicate: boolean;
}

/** A stretch of time in which some links did not carry messages. */
export interface ViewPartition {
  fromMs: number;
  toMs: number;
  /** What the test did, as the trace says it: "partition [n1 n2] | [n3]", "cut n1 → n2". */
  description: string;
  /** Every directed link that was down, as [from, to]. */
  blocked: Array<[string, string]>;
}

/** A node's lane is empty while it is down. */
export interface ViewDowntime {
  node: string;
  fromMs: number;
  /** The restart, or the end of the run for a node that never came back. */
  toMs: number;
}

/** Something drawn on a node's lane: a timer firing, a note, a clock jump, a start. */
export interface ViewMark {
  /** Index of the event in the run's events. */
  event: number;
  node: string;
  timeMs: number;
  kind: "start" | "restart" | "crash" | "timer" | "note" | "act" | "clock" | "pause" | "resume";
  text: string;
}

/** A test's failure, placed on the run where it happened. */
export interface ViewFailure {
  message: string;
  /** The event the failure happened at or after; absent when the run ended first. */
  event?: number;
  timeMs: number;
}

export interface ViewRun {
  name: string;
  truncated: boolean;
  nodes: string[];
  startMs: number;
  endMs: number;
  events: TraceEvent[];
  messages: ViewMessage[];
  partitions: ViewPartition[];
  downtimes: ViewDowntime[];
  marks: ViewMark[];
  /** Fault events with no node (network settings, heal, a scheduled action), shown on the axis. */
  faults: Array<{ event: number; timeMs: number; text: string }>;
  failure?: ViewFailure;
  /**
   * Each node's public state (its getters: role, term, commit index…) after each event that
   * changed it, oldest first; empty for traces recorded without it.
   */
  states: Array<{
    step: number;
    node: string;
    state: Record<string, string | number | boolean | null>;
  }>;
}

export interface ViewModel {
  title: string;
  seed: number;
  test: string;
  passed: boolean;
  runs: ViewRun[];
}

export interface ViewInput {
  title: string;
  seed: number;
  test: string;
  runs: TraceDocument[];
  /** The test's first error, when it failed. */
  failure?: string;
}

export function buildViewModel(input: ViewInput): ViewModel {
  const runs = input.runs.map((run) => buildRun(run));
  if (input.failure !== undefined && runs.length > 0) {
    // A test fails in its last simulation: that is the one running when the error was thrown.
    const last = runs[runs.length - 1]!;
    last.failure = placeFailure(last, input.failure);
  }
  return {
    title: input.title,
    seed: input.seed,
    test: input.test,
    passed: input.failure === undefined,
    runs,
  };
}

function buildRun(document: TraceDocument): ViewRun {
  const events = document.events;
  const nodes = nodesOf(events);
  const startMs = events[0]?.timeMs ?? 0;
  const endMs = Math.max(startMs + 1, events.at(-1)?.timeMs ?? 0);
  return {
    name: document.name,
    truncated: document.truncated,
    nodes,
    startMs,
    endMs,
    events,
    messages: matchMessages(events, endMs),
    partitions: replayPartitions(events, nodes, endMs),
    downtimes: downtimesOf(events, endMs),
    marks: marksOf(events),
    // Recorded by simulators that read nodes' state for the viewer; older traces have none.
    states: (document as { states?: ViewRun["states"] }).states ?? [],
    faults: events.flatMap((event, index) =>
      (event.kind === "fault" || event.kind === "act") && event.node === undefined
        ? [{ event: index, timeMs: event.timeMs, text: event.detail ?? event.kind }]
        : [],
    ),
  };
}

/** Nodes in the order the run first mentions them, which is the order the test added them. */
function nodesOf(events: readonly TraceEvent[]): string[] {
  const seen = new Set<string>();
  for (const event of events) {
    for (const id of [event.node, event.from, event.to]) if (id !== undefined) seen.add(id);
  }
  return [...seen];
}

/**
 * Pairs each delivery or drop with the send it came from. A trace records a message's text, not
 * an identity, so copies of one text between the same two nodes are told apart by order: the
 * earliest send still unaccounted for is the one that arrived. A delivery with no such send is
 * a duplicate of the latest send of that text. Reordering of identical messages can swap which
 * arrow is which, but never how many there are or where they go.
 */
export function matchMessages(events: readonly TraceEvent[], endMs: number): ViewMessage[] {
  const messages: ViewMessage[] = [];
  const waiting = new Map<string, number[]>(); // key → indices into messages, oldest first
  const latest = new Map<string, number>(); // key → index of the latest send
  events.forEach((event, index) => {
    const from = event.from;
    const to = event.kind === "deliver" ? event.node : event.to;
    if (from === undefined || to === undefined) return;
    const key = `${from}\u0000${to}\u0000${event.message ?? ""}`;
    if (event.kind === "send") {
      const position = messages.length;
      messages.push({
        send: index,
        from,
        to,
        sentMs: event.timeMs,
        endedMs: endMs,
        type: typeOf(event.message),
        outcome: "in flight",
        duplicate: false,
      });
      const queue = waiting.get(key) ?? [];
      queue.push(position);
      waiting.set(key, queue);
      latest.set(key, position);
      return;
    }
    if (event.kind !== "deliver" && event.kind !== "drop") return;
    const outcome =
      event.kind === "deliver"
        ? "delivered"
        : event.detail === "lost"
          ? "lost"
          : event.detail === "partitioned"
            ? "partitioned"
            : "receiver down";
    const queue = waiting.get(key);
    const position = queue?.shift();
    if (position !== undefined) {
      const message = messages[position]!;
      message.end = index;
      message.endedMs = event.timeMs;
      message.outcome = outcome;
      return;
    }
    const original = latest.get(key);
    if (original === undefined) return; // its send fell out of a truncated trace
    const copy = messages[original]!;
    messages.push({
      ...copy,
      end: index,
      endedMs: event.timeMs,
      outcome,
      duplicate: true,
    });
  });
  return messages;
}

function typeOf(message: string | undefined): string {
  if (message === undefined) return "message";
  try {
    const parsed = JSON.parse(message) as unknown;
    if (typeof parsed === "object" && parsed !== null && "type" in parsed) {
      const type = (parsed as { type: unknown }).type;
      if (typeof type === "string") return type;
    }
  } catch {
    // Not JSON: the wire always is, but a hand-written trace may not be.
  }
  return "message";
}

/**
 * Replays the test's partitions, isolations and cuts to find, at every moment, which directed
 * links were down. The simulator's rules: `partition` replaces the previous partition, an
 * isolation holds on top of it until `heal`, a `cut` holds until its `repair` or `heal`.
 */
export function replayPartitions(
  events: readonly TraceEvent[],
  nodes: readonly string[],
  endMs: number,
): ViewPartition[] {
  let sides: string[][] | undefined;
  const isolated = new Set<string>();
  const cuts = new Set<string>();
  const descriptions: string[] = [];
  const partitions: ViewPartition[] = [];
  let open: { fromMs: number; blocked: Array<[string, string]> } | undefined;

  const blockedNow = (): Array<[string, string]> => {
    const sideOf = new Map<string, number>();
    sides?.forEach((side, index) => side.forEach((node) => sideOf.set(node, index)));
    const blocked: Array<[string, string]> = [];
    for (const from of nodes) {
      for (const to of nodes) {
        if (from === to) continue;
        const split =
          sides !== undefined &&
          (sideOf.get(from) ?? -1) !== (sideOf.get(to) ?? -1) &&
          // A node named on no side keeps talking to everyone, as in the simulator.
          sideOf.has(from) &&
          sideOf.has(to);
        if (split || isolated.has(from) || isolated.has(to) || cuts.has(`${from} → ${to}`))
          blocked.push([from, to]);
      }
    }
    return blocked;
  };

  const close = (timeMs: number): void => {
    if (open === undefined) return;
    if (timeMs > open.fromMs)
      partitions.push({
        fromMs: open.fromMs,
        toMs: timeMs,
        description: descriptions.join("; "),
        blocked: open.blocked,
      });
    open = undefined;
  };

  for (const event of events) {
    if (event.kind !== "fault" || event.detail === undefined) continue;
    const change = parseFault(event.detail);
    if (change === undefined) continue;
    close(event.timeMs);
    switch (change.kind) {
      case "partition":
        sides = change.sides;
        break;
      case "isolate":
        isolated.add(change.node);
        break;
      case "cut":
        cuts.add(`${change.from} → ${change.to}`);
        break;
      case "repair":
        cuts.delete(`${change.from} → ${change.to}`);
        break;
      case "heal":
        sides = undefined;
        isolated.clear();
        cuts.clear();
        break;
    }
    descriptions.length = 0;
    if (sides !== undefined)
      descriptions.push(`partition ${sides.map((side) => `[${side.join(" ")}]`).join(" | ")}`);
    for (const node of isolated) descriptions.push(`isolate ${node}`);
    for (const cut of cuts) descriptions.push(`cut ${cut}`);
    const blocked = blockedNow();
    if (blocked.length > 0) open = { fromMs: event.timeMs, blocked };
  }
  close(endMs);
  return partitions;
}

type FaultChange =
  | { kind: "partition"; sides: string[][] }
  | { kind: "isolate"; node: string }
  | { kind: "cut" | "repair"; from: string; to: string }
  | { kind: "heal" };

/** Reads the simulator's own fault text (see Simulation.partition, isolate, cut, repair, heal). */
export function parseFault(detail: string): FaultChange | undefined {
  if (detail === "heal") return { kind: "heal" };
  if (detail.startsWith("partition ")) {
    const sides = [...detail.matchAll(/\[([^\]]*)\]/g)].map((match) =>
      match[1]!.split(" ").filter(Boolean),
    );
    return { kind: "partition", sides };
  }
  const isolate = /^isolate (\S+)$/.exec(detail);
  if (isolate !== null) return { kind: "isolate", node: isolate[1]! };
  const link = /^(cut|repair) (\S+) → (\S+)$/.exec(detail);
  if (link !== null) return { kind: link[1] as "cut" | "repair", from: link[2]!, to: link[3]! };
  return undefined;
}

function downtimesOf(events: readonly TraceEvent[], endMs: number): ViewDowntime[] {
  const downSince = new Map<string, number>();
  const downtimes: ViewDowntime[] = [];
  for (const event of events) {
    if (event.node === undefined) continue;
    if (event.kind === "crash") downSince.set(event.node, event.timeMs);
    if (event.kind === "restart") {
      const since = downSince.get(event.node);
      if (since !== undefined)
        downtimes.push({ node: event.node, fromMs: since, toMs: event.timeMs });
      downSince.delete(event.node);
    }
  }
  for (const [node, since] of downSince) downtimes.push({ node, fromMs: since, toMs: endMs });
  return downtimes;
}

function marksOf(events: readonly TraceEvent[]): ViewMark[] {
  const marks: ViewMark[] = [];
  events.forEach((event, index) => {
    if (event.node === undefined) return;
    const kind = markKind(event);
    if (kind === undefined) return;
    marks.push({
      event: index,
      node: event.node,
      timeMs: event.timeMs,
      kind,
      text: event.detail ?? event.kind,
    });
  });
  return marks;
}

function markKind(event: TraceEvent): ViewMark["kind"] | undefined {
  // Read as a string: traces written by newer simulators may carry kinds this file predates.
  switch (event.kind as string) {
    case "start":
    case "restart":
    case "crash":
    case "timer":
    case "note":
    case "act":
    case "clock":
    case "pause":
    case "resume":
      return event.kind as ViewMark["kind"];
    default:
      return undefined;
  }
}

/**
 * Where a failure happened. An error from inside a run (an invariant, a node's exception)
 * quotes the run's last events with their step numbers, `#42`; the last step it quotes is the
 * event it stopped at. A failed expectation after the run quotes none: it is placed at the end.
 */
export function placeFailure(run: ViewRun, message: string): ViewFailure {
  const steps = [...message.matchAll(/ #(\d+) /g)].map((match) => Number(match[1]));
  const step = steps.at(-1);
  if (step !== undefined) {
    let found = -1;
    run.events.forEach((event, index) => {
      if (event.step === step) found = index;
    });
    if (found >= 0) return { message, event: found, timeMs: run.events[found]!.timeMs };
  }
  return { message, timeMs: run.endMs };
}
