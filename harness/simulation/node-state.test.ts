import { describe, expect, test } from "vitest";
import { readNodeState } from "./node-state.js";

class Base {
  get role(): string {
    return "leader";
  }
}

class Node extends Base {
  #term = 3;
  readonly #log = [1, 2, 3];
  get currentTerm(): number {
    return this.#term;
  }
  get log(): readonly number[] {
    return this.#log;
  }
  get votedFor(): string | undefined {
    return undefined;
  }
  get unfinished(): number {
    throw new Error("TODO(2.2): …");
  }
  get peersSeen(): Set<string> {
    return new Set(["n1", "n2"]);
  }
  notAGetter(): number {
    return 1;
  }
}

describe("what the viewer shows of a node's state", () => {
  test("public getters up the class chain, summarised; a getter that throws is left out", () => {
    expect(readNodeState(new Node())).toEqual({
      currentTerm: 3,
      log: "3 entries",
      votedFor: null,
      peersSeen: "2 entries",
      role: "leader",
    });
  });

  test("a node with no getters shows nothing", () => {
    expect(readNodeState({ onMessage: () => undefined })).toBeUndefined();
  });
});
