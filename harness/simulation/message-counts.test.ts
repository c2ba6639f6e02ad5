import { describe, expect, test } from "vitest";
import { totalMessageCounts } from "./message-counts.js";
import { Simulation } from "./simulation.js";
import type { NodeContext, NodeId, SimulatedNode } from "./types.js";

type Message = { type: "request" | "reply"; value: number } | { value: number };

class EchoNode implements SimulatedNode<Message> {
  readonly context: NodeContext<Message>;

  constructor(context: NodeContext<Message>) {
    this.context = context;
  }

  onMessage(from: NodeId, message: Message): void {
    if ("type" in message && message.type === "request")
      this.context.send(from, { type: "reply", value: message.value });
  }
}

function cluster(network = {}) {
  const simulation = new Simulation<Message>({ seed: 1, network });
  simulation.addNodes(["n1", "n2", "n3"], (context) => new EchoNode(context));
  return simulation;
}

describe("Simulation: message counts", () => {
  test("each node's messages sent and delivered, per message type", () => {
    const simulation = cluster();
    simulation.act<EchoNode>("n1", "ask everyone", (node) =>
      node.context.broadcast({ type: "request", value: 1 }),
    );
    simulation.act<EchoNode>("n2", "untyped", (node) => node.context.send("n3", { value: 2 }));
    simulation.runUntilQuiet({ withinMs: 1_000 });
    const counts = simulation.messageCounts();
    expect(counts["n1"], "n1 broadcast to two peers and heard two replies").toEqual({
      sent: 2,
      delivered: 2,
      byType: { request: { sent: 2, delivered: 0 }, reply: { sent: 0, delivered: 2 } },
    });
    expect(counts["n2"], "n2 sent a reply and an untyped message").toEqual({
      sent: 2,
      delivered: 1,
      byType: { request: { sent: 0, delivered: 1 }, reply: { sent: 1, delivered: 0 } },
    });
    expect(counts["n3"]!.delivered, "n3 got a request and the untyped message").toBe(2);
    expect(Object.keys(counts), "every node, in the order added").toEqual(["n1", "n2", "n3"]);
  });

  test("sent counts what was handed to the network; delivered counts what arrived, duplicates too", () => {
    const lossy = cluster({ lossRate: 1 });
    lossy.act<EchoNode>("n1", "lost", (node) => node.context.send("n2", { value: 1 }));
    lossy.runUntilQuiet({ withinMs: 1_000 });
    expect(lossy.messageCounts()["n1"]!.sent, "a lost message was still sent").toBe(1);
    expect(lossy.messageCounts()["n2"]!.delivered, "a lost message is not delivered").toBe(0);

    const doubled = cluster({ duplicateRate: 1 });
    doubled.act<EchoNode>("n1", "doubled", (node) => node.context.send("n2", { value: 1 }));
    doubled.runUntilQuiet({ withinMs: 1_000 });
    expect(doubled.messageCounts()["n2"]!.delivered, "a duplicated message arrives twice").toBe(2);
  });

  test("the counts are a copy, and totalMessageCounts adds up the nodes", () => {
    const simulation = cluster();
    simulation.act<EchoNode>("n1", "ask", (node) =>
      node.context.broadcast({ type: "request", value: 1 }),
    );
    const before = simulation.messageCounts();
    before["n1"]!.sent = 99;
    simulation.runUntilQuiet({ withinMs: 1_000 });
    const after = simulation.messageCounts();
    expect(after["n1"]!.sent, "changing a snapshot does not change the counts").toBe(2);
    expect(totalMessageCounts(after), "the whole cluster").toEqual({
      sent: 4,
      delivered: 4,
      byType: { request: { sent: 2, delivered: 2 }, reply: { sent: 2, delivered: 2 } },
    });
  });
});
