import {
  Simulation,
  type NodeContext,
  type NodeId,
  type SimulatedNode,
} from "../../harness/index.js";
import type { CacheConfig, CacheMessage } from "./sharded-cache-protocol.js";
import { CacheNode } from "./sharded-cache.js";

/**
 * Test support for exercise 6.5 (no solution twin: it is not exercise code). A CacheProbe runs
 * ONE real CacheNode, n1, among stand-ins (n2, n3, n4 and a client "c") that send it exactly
 * the messages a test crafts: configurations of any epoch, requests tagged with old or future
 * epochs, transfers that are late, repeated or missing. It records every message n1 sends.
 * Every link takes exactly 1 ms and nothing is lost, so only what the test does happens.
 */

/** A message n1 sent. */
export interface ProbeSent {
  to: NodeId;
  message: CacheMessage;
}

class StandIn implements SimulatedNode<CacheMessage> {
  readonly context: NodeContext<CacheMessage>;
  constructor(context: NodeContext<CacheMessage>) {
    this.context = context;
  }
  onStart(): void {}
  onMessage(): void {}
  onTimer(): void {}
}

export class CacheProbe {
  readonly simulation: Simulation<CacheMessage>;
  readonly sent: ProbeSent[] = [];

  constructor(seed: number) {
    this.simulation = new Simulation<CacheMessage>({
      seed,
      network: { latencyMs: { min: 1, max: 1 }, lossRate: 0, duplicateRate: 0 },
    });
    this.simulation.addNodes(["n1", "n2", "n3", "n4", "c"], (context) => {
      if (context.id !== "n1") return new StandIn(context);
      const recording: NodeContext<CacheMessage> = {
        ...context,
        send: (to, message) => {
          this.sent.push({ to, message });
          context.send(to, message);
        },
        broadcast: () => {
          throw new Error("6.5: a cache node sends to named nodes; broadcast is not used");
        },
      };
      return new CacheNode(recording);
    });
    this.simulation.runFor(1);
  }

  /** The real node, or undefined while crashed. */
  get node(): CacheNode | undefined {
    return this.simulation.node<CacheNode>("n1");
  }

  /** `from` sends n1 `message`; the probe then waits 3 ms for n1 to answer. */
  send(from: NodeId, message: CacheMessage): void {
    this.simulation.act<StandIn>(from, `${from} sends ${message.type}`, (standIn) =>
      standIn.context.send("n1", message),
    );
    this.simulation.runFor(3);
  }

  /** The directory (played by n4) tells n1 about `config`. */
  config(config: CacheConfig): void {
    this.send("n4", { type: "config", config });
  }

  /** The client puts `key` = `value` (version `request`) as of `epoch`; returns n1's reply status. */
  put(epoch: number, key: string, value: string, request: number): string | undefined {
    this.send("c", { type: "put", request, epoch, key, value });
    return this.#replyTo(request)?.status;
  }

  /** The client gets `key` as of `epoch`; returns n1's reply. */
  get(epoch: number, key: string, request: number) {
    this.send("c", { type: "get", request, epoch, key });
    return this.#replyTo(request);
  }

  crashAndRestart(): void {
    this.simulation.crash("n1");
    this.simulation.runFor(5);
    this.simulation.restart("n1");
    this.simulation.runFor(1);
  }

  /** The transfers n1 sent `to`, in order. */
  transfersTo(to: NodeId): Array<Extract<CacheMessage, { type: "transfer" }>> {
    return this.sent
      .filter((sent) => sent.to === to)
      .map((sent) => sent.message)
      .filter((message) => message.type === "transfer");
  }

  /** The transfer acknowledgements n1 sent `to`. */
  acksTo(to: NodeId): Array<Extract<CacheMessage, { type: "transfer-ack" }>> {
    return this.sent
      .filter((sent) => sent.to === to)
      .map((sent) => sent.message)
      .filter((message) => message.type === "transfer-ack");
  }

  #replyTo(request: number) {
    const replies = this.sent
      .filter((sent) => sent.to === "c")
      .map((sent) => sent.message)
      .filter((message) => message.type === "reply" && message.request === request);
    return replies.at(-1) as Extract<CacheMessage, { type: "reply" }> | undefined;
  }
}
