import type { Random } from "../../harness/testing.js";

/**
 * Test support for exercises 1.1 and 1.2: a random run of processes that compute, send and
 * receive, together with the truth about which event happened before which. A test replays the
 * run through the clocks under test and compares what they say with that truth.
 */

/** One event of the run; `message` links a send to its receive. */
export type ScriptedEvent =
  | { kind: "local"; process: string; name: string }
  | { kind: "send"; process: string; name: string; to: string; message: number }
  | { kind: "receive"; process: string; name: string; message: number };

export interface RandomHistory {
  events: ScriptedEvent[];
  /** Whether event `earlier` happened before event `later` (Lamport's →). */
  happenedBefore(earlier: string, later: string): boolean;
}

/**
 * A run of `steps` events among `processes`: at each step a random process computes, sends to
 * another, or receives one of the messages in flight (in any order, as a network may reorder).
 * Event names say where and when they happened: "p2#7" is the 8th event of the run, at p2.
 */
export function randomHistory(random: Random, processes: string[], steps: number): RandomHistory {
  const events: ScriptedEvent[] = [];
  // Everything that happened before each event: the event before it at the same process, and
  // for a receive also its send, with everything those two knew.
  const causes = new Map<string, Set<string>>();
  const lastEventAt = new Map<string, string>();
  const inFlight: Array<{ message: number; to: string; sentBy: string }> = [];

  const record = (event: ScriptedEvent, directCauses: Array<string | undefined>): void => {
    const before = new Set<string>();
    for (const cause of directCauses) {
      if (cause === undefined) continue;
      before.add(cause);
      for (const earlier of causes.get(cause)!) before.add(earlier);
    }
    causes.set(event.name, before);
    lastEventAt.set(event.process, event.name);
    events.push(event);
  };

  for (let step = 0; step < steps; step++) {
    const process = random.pick(processes);
    const name = `${process}#${step}`;
    const choice = random.next();
    if (choice < 0.35 && inFlight.length > 0) {
      const [delivered] = inFlight.splice(random.int(0, inFlight.length - 1), 1);
      const receiver = delivered!.to;
      const receiveName = `${receiver}#${step}`;
      record(
        { kind: "receive", process: receiver, name: receiveName, message: delivered!.message },
        [lastEventAt.get(receiver), delivered!.sentBy],
      );
    } else if (choice < 0.7) {
      const to = random.pick(processes.filter((other) => other !== process));
      record({ kind: "send", process, name, to, message: step }, [lastEventAt.get(process)]);
      inFlight.push({ message: step, to, sentBy: name });
    } else {
      record({ kind: "local", process, name }, [lastEventAt.get(process)]);
    }
  }
  return { events, happenedBefore: (earlier, later) => causes.get(later)?.has(earlier) ?? false };
}
