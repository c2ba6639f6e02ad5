import type { TraceEvent } from "./trace.js";

/** What part of a run to draw. */
export interface DiagramOptions {
  /** The most events to draw (arrows and notes). @default 120 */
  eventsMax?: number;
  /** Draw only events at or after this true time, in milliseconds. @default 0 */
  fromMs?: number;
  /** Draw only events at or before this true time, in milliseconds. @default the end */
  toMs?: number;
}

/**
 * A run as a mermaid sequence diagram: each node a lifeline, each delivered message an arrow,
 * each lost message a crossed arrow; crashes, restarts, pauses, clock changes, network faults
 * (partitions, isolation, cut links, heals) and nodes' notes as notes over the nodes they touch.
 * The space-time diagrams of chapter 1, drawn from a real run; paste the text into any markdown
 * viewer that renders mermaid.
 *
 * Mermaid draws arrows level, so an arrow is placed when its message arrives (when it can
 * affect the receiver), and its label carries both times: "RequestVote · 12→19ms". A long run
 * is drawn a window at a time (`fromMs`, `toMs`, `eventsMax`); a cut-off note says where the
 * next window starts.
 */
export function traceToMermaid(
  events: readonly TraceEvent[],
  options: DiagramOptions = {},
): string {
  const eventsMax = Math.max(1, options.eventsMax ?? 120);
  const fromMs = options.fromMs ?? 0;
  const toMs = options.toMs ?? Infinity;
  // Every node of the run gets a lifeline, so that windows of one run line up.
  const nodes = [
    ...new Set(
      events
        .flatMap((event) => [event.node, event.from, event.to])
        .filter((id) => id !== undefined),
    ),
  ];
  const header = ["sequenceDiagram", ...nodes.map((node) => `  participant ${node}`)];
  // A delivery names its sender but not when it was sent: remember send times per message text,
  // from the start of the run, so that an arrow into the window still shows when it left.
  const sentAt = new Map<string, number[]>();
  const inWindow: Array<{ timeMs: number; line: string }> = [];
  for (const event of events) {
    const line = diagramLine(event, sentAt, nodes);
    if (line === undefined || event.timeMs < fromMs || event.timeMs > toMs) continue;
    inWindow.push({ timeMs: event.timeMs, line });
  }
  // Stop cleanly before an instant, so that "--from" that instant draws the rest without
  // repeating anything. When the first instant alone has more events than asked for, all of
  // them are drawn: a window must always move on.
  let count = Math.min(eventsMax, inWindow.length);
  if (count < inWindow.length) {
    const restAt = inWindow[count]!.timeMs;
    while (count > 0 && inWindow[count - 1]!.timeMs === restAt) count--;
    if (count === 0) {
      while (count < inWindow.length && inWindow[count]!.timeMs === restAt) count++;
    }
  }
  const lines = [...header, ...inWindow.slice(0, count).map((entry) => `  ${entry.line}`)];
  if (count < inWindow.length) {
    // Rounded down, so that "--from" it cannot skip an event a few hundredths later.
    const restFrom = String(Math.floor(inWindow[count]!.timeMs * 10) / 10);
    lines.push(
      `  ${noteOver(nodes, nodes)}: drew ${count} of ${inWindow.length} events, up to ` +
        `${restFrom} ms#59; --from ${restFrom} for the rest`,
    );
  } else if (count === 0 && nodes.length > 0) {
    const window = `${formatMs(fromMs)} to ${toMs === Infinity ? "the end" : `${formatMs(toMs)} ms`}`;
    lines.push(`  ${noteOver(nodes, nodes)}: nothing happened from ${window}`);
  }
  return lines.join("\n");
}

function diagramLine(
  event: TraceEvent,
  sentAt: Map<string, number[]>,
  nodes: readonly string[],
): string | undefined {
  const time = `${formatMs(event.timeMs)}ms`;
  switch (event.kind) {
    case "send": {
      const key = messageKey(event.from, event.to, event.message);
      sentAt.set(key, [...(sentAt.get(key) ?? []), event.timeMs]);
      return undefined;
    }
    case "deliver": {
      // The latest matching send: a duplicate arrives twice from one send.
      const sent = sentAt.get(messageKey(event.from, event.node, event.message))?.at(-1);
      const span = sent === undefined || sent === event.timeMs ? time : `${formatMs(sent)}→${time}`;
      return `${event.from}->>${event.node}: ${label(event.message)} · ${span}`;
    }
    case "drop":
      return `${event.from}-x${event.to}: ${label(event.message)} ${safe(event.detail ?? "dropped")} · ${time}`;
    case "crash":
    case "restart":
    case "pause":
      return `Note over ${event.node}: ${event.kind} · ${time}`;
    case "resume":
      return `Note over ${event.node}: resume, ${safe(event.detail ?? "")} · ${time}`;
    case "act":
      return event.node === undefined
        ? undefined
        : `Note over ${event.node}: ${safe(event.detail ?? "")} · ${time}`;
    case "note":
      return `Note over ${event.node}: ${safe(event.detail ?? "")} · ${time}`;
    case "resume":
      return `Note over ${event.node}: resume, ${safe(event.detail ?? "")} · ${time}`;
    case "clock":
      return `Note over ${event.node}: clock ${safe(event.detail ?? "")} · ${time}`;
    case "fault": {
      if (nodes.length === 0) return undefined;
      const detail = event.detail ?? "fault";
      return `${noteOver(nodes, touchedBy(detail, nodes))}: ${safe(faultText(detail))} · ${time}`;
    }
    default:
      return undefined;
  }
}

/**
 * The nodes a fault names ("cut n4 → n1", "partition [n1 n2] | [n3]"); a fault that names none
 * (heal, a change to every link) touches them all.
 */
function touchedBy(detail: string, nodes: readonly string[]): string[] {
  const words = new Set(detail.split(/[\s[\]|→{}",:]+/));
  const named = nodes.filter((node) => words.has(node));
  return named.length > 0 ? named : [...nodes];
}

/** A fault's detail, with a link setting's JSON shown as `lossRate 0.2` rather than braces. */
function faultText(detail: string): string {
  return detail.replace(/\{.*\}$/, (json) => {
    try {
      const settings = JSON.parse(json) as Record<string, unknown>;
      return Object.entries(settings)
        .map(([name, value]) =>
          typeof value === "object" && value !== null
            ? `${name} ${Object.values(value).join("–")}`
            : `${name} ${String(value)}`,
        )
        .join(", ");
    } catch {
      return json;
    }
  });
}

/** "Note over a" or "Note over a,c": a note spanning the leftmost to the rightmost node touched. */
function noteOver(nodes: readonly string[], touched: readonly string[]): string {
  const positions = touched.map((node) => nodes.indexOf(node)).filter((index) => index >= 0);
  const first = nodes[Math.min(...positions)]!;
  const last = nodes[Math.max(...positions)]!;
  return first === last ? `Note over ${first}` : `Note over ${first},${last}`;
}

function messageKey(
  from: string | undefined,
  to: string | undefined,
  message: string | undefined,
): string {
  return `${from}>${to}>${message}`;
}

/** The message's `type` when it has one (most protocols' messages do), or its JSON, shortened. */
function label(message: string | undefined): string {
  if (message === undefined) return "message";
  let text = message;
  try {
    const parsed = JSON.parse(message) as { type?: unknown };
    if (typeof parsed.type === "string") text = parsed.type;
  } catch {
    // Not JSON: show it as it is.
  }
  return safe(text.length > 48 ? `${text.slice(0, 47)}…` : text);
}

/**
 * Mermaid ends a statement at ";" and reads "#" as the start of an entity code, so both are
 * written as entity codes ("#35;" is "#"), which mermaid turns back into the characters.
 */
function safe(text: string): string {
  return text
    .replace(/[#;]/g, (character) => `#${character.charCodeAt(0)};`)
    .replace(/\s+/g, " ")
    .trim();
}

/** Tenths of a millisecond at most, and none when there are none: "171", "171.5". */
function formatMs(ms: number): string {
  return String(Number(ms.toFixed(1)));
}
