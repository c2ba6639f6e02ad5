import type { TraceEvent } from "./trace.js";

/**
 * A run as a mermaid sequence diagram: each node a lifeline, each delivered message an arrow,
 * each lost message a crossed arrow, crashes, restarts, faults and nodes' notes as notes. The
 * space-time diagrams of chapter 1, drawn from a real run; paste the text into any markdown
 * viewer that renders mermaid.
 *
 * Mermaid draws arrows level, so an arrow is placed when its message arrives (when it can
 * affect the receiver), and its label carries both times: "RequestVote · 12→19ms".
 */
export function traceToMermaid(
  events: readonly TraceEvent[],
  options: { eventsMax?: number } = {},
): string {
  const eventsMax = options.eventsMax ?? 120;
  const nodes = [
    ...new Set(
      events
        .flatMap((event) => [event.node, event.from, event.to])
        .filter((id) => id !== undefined),
    ),
  ];
  const lines = ["sequenceDiagram", ...nodes.map((node) => `  participant ${node}`)];
  // A delivery names its sender but not when it was sent: remember send times per message text.
  const sentAt = new Map<string, number[]>();
  let drawn = 0;
  for (const event of events) {
    if (drawn >= eventsMax) {
      lines.push(
        `  Note over ${nodes[0]},${nodes.at(-1)}: the diagram stops here, ${events.length} events in all`,
      );
      break;
    }
    const line = diagramLine(event, sentAt);
    if (line === undefined) continue;
    lines.push(`  ${line}`);
    drawn++;
  }
  return lines.join("\n");
}

function diagramLine(event: TraceEvent, sentAt: Map<string, number[]>): string | undefined {
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
    default:
      return undefined;
  }
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
