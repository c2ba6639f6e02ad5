import { describe, expect, test } from "vitest";
import { forEachSeed, Simulation, type NodeId } from "../../harness/testing.js";
import { modes, spreadOnce, theoryRounds } from "./rumor-spreading.measure.js";
import { roundMs, RumorNode, type RumorMessage, type RumorOptions } from "./rumor-spreading.js";

// Exercise 5.2 — how fast does a rumour spread? Run: npm run workbook -- test 5.2

const ids = (count: number): NodeId[] => Array.from({ length: count }, (_, i) => `n${i + 1}`);

/** Six nodes in `options`' mode, n1 knowing the rumour; every send recorded, for one round. */
function firstRound(seed: number, options: RumorOptions) {
  const simulation = new Simulation<RumorMessage>({
    seed,
    name: `${options.mode} round`,
    network: { latencyMs: { min: 1, max: 10 } },
  });
  const sent: Array<{ from: NodeId; to: NodeId; type: RumorMessage["type"] }> = [];
  const nodes = simulation.addNodes(
    ids(6),
    (context) =>
      new RumorNode(
        {
          ...context,
          send(to, message) {
            sent.push({ from: context.id, to, type: message.type });
            context.send(to, message);
          },
        },
        options,
      ),
  );
  simulation.act<RumorNode>("n1", "n1 learns the rumour", (node) => node.start());
  simulation.runFor(roundMs + roundMs / 2);
  return { nodes, sent };
}

describe("5.2 rumour spreading: the rules", () => {
  test("push: only a node that knows calls, sending the rumour to fanout distinct peers a round", () => {
    forEachSeed(
      (seed) => {
        const { nodes, sent } = firstRound(seed, { mode: "push", fanout: 3 });
        const calls = sent.filter((each) => each.from === "n1");
        expect(
          calls.map((each) => each.type),
          "in round 1, n1 (the only node that knows) should push the rumour to 3 partners",
        ).toEqual(["rumor", "rumor", "rumor"]);
        const partners = new Set(calls.map((each) => each.to));
        expect(partners.has("n1"), "a node never calls itself").toBe(false);
        expect(partners.size, "the 3 partners of one round are 3 different peers").toBe(3);
        expect(
          sent.filter((each) => each.from !== "n1"),
          "in push mode a node that does not know the rumour says nothing",
        ).toEqual([]);
        for (const partner of partners)
          expect(nodes.node(partner)!.informedRound, `${partner} heard it in round 1`).toBe(1);
        expect(nodes.node("n1")!.informedRound, "n1 knew it from round 0").toBe(0);
      },
      { seeds: 4 },
    );
  });

  test("pull: only a node that does not know calls, and a node that knows answers", () => {
    forEachSeed(
      (seed) => {
        const { nodes, sent } = firstRound(seed, { mode: "pull", fanout: 1 });
        const asked = sent.filter((each) => each.type === "pull");
        expect(
          asked.map((each) => each.from).sort(),
          "in round 1, each of the five nodes that do not know should send one pull",
        ).toEqual(["n2", "n3", "n4", "n5", "n6"]);
        const askedN1 = asked.filter((each) => each.to === "n1").map((each) => each.from);
        const answers = sent.filter((each) => each.from === "n1");
        expect(
          answers.map((each) => `${each.type} → ${each.to}`).sort(),
          "n1 knows: it must answer exactly the pulls it got, and push nothing of its own",
        ).toEqual(askedN1.map((from) => `rumor → ${from}`).sort());
        for (const id of askedN1)
          expect(nodes.node(id)!.informedRound, `${id} pulled from n1 in round 1`).toBe(1);
      },
      { seeds: 6 },
    );
  });

  test("push-pull: every node calls, and whoever knows tells the other", () => {
    forEachSeed(
      (seed) => {
        const { sent } = firstRound(seed, { mode: "push-pull", fanout: 1 });
        const calls = sent.filter((each) => each.type === "pull" || each.from === "n1");
        expect(
          sent
            .filter((each) => each.type === "pull")
            .map((each) => each.from)
            .sort(),
          "every node that does not know calls a partner with a pull",
        ).toEqual(["n2", "n3", "n4", "n5", "n6"]);
        const pushed = sent.filter((each) => each.from === "n1" && each.type === "rumor");
        const pulledFromN1 = calls.filter((each) => each.type === "pull" && each.to === "n1");
        expect(
          pushed.length,
          "n1 knows: it pushes to one partner and answers every pull it got",
        ).toBe(1 + pulledFromN1.length);
      },
      { seeds: 6 },
    );
  });

  test("every mode reaches every node, with fanout 1 and 3, through 10 % loss", () => {
    forEachSeed(
      (seed) => {
        for (const mode of modes)
          for (const fanout of [1, 3]) {
            const { rounds } = spreadOnce(seed, mode, fanout, 40, 0.1);
            expect(
              rounds,
              `${mode} with fanout ${fanout} on 40 nodes, 10 % loss, took ${rounds} rounds`,
            ).toBeGreaterThan(0);
          }
      },
      { seeds: 2 },
    );
  });
});

describe("5.2 rumour spreading: the measurement", () => {
  test("push with fanout 1 takes log2 N + ln N rounds, within 15 %", () => {
    for (const size of [100, 250]) {
      const runs: number[] = [];
      forEachSeed((seed) => runs.push(spreadOnce(seed, "push", 1, size).rounds), { seeds: 4 });
      const measured = runs.reduce((sum, rounds) => sum + rounds, 0) / runs.length;
      const theory = theoryRounds("push", 1, size);
      expect(
        Math.abs(measured - theory) / theory,
        `push, fanout 1, ${size} nodes: ${measured} rounds on average over ${runs.join(", ")}; theory says log2 N + ln N = ${theory.toFixed(1)}`,
      ).toBeLessThanOrEqual(0.15);
    }
  });

  test("pull and push-pull finish sooner than push, and fanout 3 sooner than fanout 1", () => {
    const size = 250;
    const meanRounds = (mode: (typeof modes)[number], fanout: number): number => {
      const runs: number[] = [];
      forEachSeed((seed) => runs.push(spreadOnce(seed, mode, fanout, size).rounds), { seeds: 2 });
      return runs.reduce((sum, rounds) => sum + rounds, 0) / runs.length;
    };
    const rounds = new Map(
      modes.flatMap((mode) =>
        [1, 3].map((fanout) => [`${mode} ${fanout}`, meanRounds(mode, fanout)]),
      ),
    );
    const said = [...rounds].map(([name, value]) => `${name}: ${value}`).join(", ");
    expect(rounds.get("pull 1")!, `pull's fast finish should beat push (${said})`).toBeLessThan(
      rounds.get("push 1")!,
    );
    expect(rounds.get("push-pull 1")!, `push-pull should beat pull (${said})`).toBeLessThan(
      rounds.get("pull 1")!,
    );
    for (const mode of modes)
      expect(
        rounds.get(`${mode} 3`)!,
        `${mode} with fanout 3 should need fewer rounds than with fanout 1 (${said})`,
      ).toBeLessThan(rounds.get(`${mode} 1`)!);
  });
});
