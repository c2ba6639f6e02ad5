import { describe, expect, test } from "vitest";
import {
  checkSerializable,
  type SerializabilityResult,
  type TransactionOperation,
  type TransactionRecord,
  type Value,
} from "./transactions.js";

const r = (key: string, value: Value): TransactionOperation => ({ kind: "read", key, value });
const w = (key: string, value: Value): TransactionOperation => ({ kind: "write", key, value });
const ok = (id: string, ...operations: TransactionOperation[]): TransactionRecord => ({
  id,
  outcome: "ok",
  operations,
});
const aborted = (id: string, ...operations: TransactionOperation[]): TransactionRecord => ({
  id,
  outcome: "fail",
  operations,
});
const unknown = (id: string, ...operations: TransactionOperation[]): TransactionRecord => ({
  id,
  outcome: "unknown",
  operations,
});

/** Replays the witness order serially: every read of a committed transaction must match. */
function expectWitness(
  history: readonly TransactionRecord[],
  result: SerializabilityResult,
  initial: Record<string, Value> = {},
): void {
  expect(result.serializable, JSON.stringify(result)).toBe(true);
  if (result.serializable !== true) return;
  const state = new Map<string, Value>(Object.entries(initial));
  for (const id of result.order) {
    const transaction = history.find((each) => each.id === id)!;
    expect(transaction.outcome, `${id} in the order must not have aborted`).not.toBe("fail");
    for (const operation of transaction.operations) {
      if (operation.kind === "write") state.set(operation.key, operation.value);
      else if (transaction.outcome === "ok")
        expect(state.get(operation.key) ?? null, `${id} reads ${operation.key}`).toBe(
          operation.value,
        );
    }
  }
  for (const transaction of history) {
    if (transaction.outcome === "ok")
      expect(result.order, `every committed transaction is in the order`).toContain(transaction.id);
  }
}

function expectAnomaly(
  result: SerializabilityResult,
  anomaly: string,
  name: string,
  transactions: string[],
): void {
  expect(result.serializable, "the history is not serializable").toBe(false);
  if (result.serializable !== false) return;
  expect([result.anomaly, result.name], result.explanation).toEqual([anomaly, name]);
  expect([...result.transactions].sort()).toEqual([...transactions].sort());
}

describe("transaction checker: serializable histories", () => {
  test("an empty history is serializable", () => {
    expect(checkSerializable([])).toEqual({ serializable: true, order: [] });
  });

  test("a history that ran one transaction at a time is serializable, with a witness order", () => {
    const history = [ok("T1", w("x", 1)), ok("T2", r("x", 1), w("y", 2)), ok("T3", r("y", 2))];
    expectWitness(history, checkSerializable(history));
  });

  test("aborted transactions are left out; unknown ones count only when someone read them", () => {
    const history = [
      aborted("T1", w("x", 1)),
      unknown("T2", w("y", 2)),
      unknown("T3", w("z", 3)),
      ok("T4", r("x", null), r("y", 2), r("z", null)),
    ];
    const result = checkSerializable(history);
    expectWitness(history, result);
    expect(result.serializable === true && result.order).toEqual(["T2", "T4"]);
  });

  test("blind writes in any order are serializable when nothing reads them", () => {
    const history = [ok("T1", w("x", 1), w("y", 1)), ok("T2", w("x", 2), w("y", 2))];
    expectWitness(history, checkSerializable(history));
  });

  test("a transaction reads its own writes", () => {
    const history = [ok("T1", w("x", 1), r("x", 1))];
    expectWitness(history, checkSerializable(history));
    expectAnomaly(
      checkSerializable([ok("T1", w("x", 1), r("x", null))]),
      "internal inconsistency",
      "a transaction that does not see its own writes",
      ["T1"],
    );
  });
});

describe("transaction checker: each anomaly's minimal history", () => {
  test("G1a aborted read: a committed transaction read a value an aborted one wrote", () => {
    const result = checkSerializable([aborted("T1", w("x", 1)), ok("T2", r("x", 1))]);
    expectAnomaly(result, "G1a", "aborted read", ["T1", "T2"]);
    expect(result.serializable === false && result.explanation).toBe(
      "T2 read x=1 written by T1, but T1 aborted: an aborted read, G1a",
    );
  });

  test("G1b intermediate read: a committed transaction read a value its writer overwrote", () => {
    expectAnomaly(
      checkSerializable([ok("T1", w("x", 1), w("x", 2)), ok("T2", r("x", 1))]),
      "G1b",
      "intermediate read",
      ["T1", "T2"],
    );
  });

  test("G1c circular information flow: each transaction read what the other wrote", () => {
    expectAnomaly(
      checkSerializable([ok("T1", w("x", 1), r("y", 2)), ok("T2", w("y", 2), r("x", 1))]),
      "G1c",
      "circular information flow",
      ["T1", "T2"],
    );
  });

  test("G-single read skew: a transaction saw one write of another but not the other", () => {
    const result = checkSerializable([
      ok("T1", r("x", null), r("y", 2)),
      ok("T2", w("x", 1), w("y", 2)),
    ]);
    expectAnomaly(result, "G-single", "read skew", ["T1", "T2"]);
  });

  test("lost update: two transactions read the same value and both overwrote it", () => {
    expectAnomaly(
      checkSerializable([ok("T1", r("x", 0), w("x", 1)), ok("T2", r("x", 0), w("x", 2))], {
        initial: { x: 0 },
      }),
      "G-single",
      "lost update",
      ["T1", "T2"],
    );
  });

  test("G2 write skew: each read what the other then overwrote", () => {
    expectAnomaly(
      checkSerializable([
        ok("T1", r("x", null), r("y", null), w("x", 1)),
        ok("T2", r("x", null), r("y", null), w("y", 2)),
      ]),
      "G2",
      "write skew",
      ["T1", "T2"],
    );
  });
});

describe("transaction checker: cases other checkers miss", () => {
  test("a read of a value nobody wrote is not serializable", () => {
    expectAnomaly(
      checkSerializable([ok("T1", w("x", 1)), ok("T2", r("x", 42))]),
      "garbage read",
      "a read of a value nobody wrote",
      ["T2"],
    );
  });

  test("a write cycle under read uncommitted is G0 when the store's version order shows it", () => {
    // No transaction reads anything, so a checker that looks only at reads sees nothing wrong.
    // The store installed x=1 before x=2 but y=2 before y=1: the writes interleaved.
    const history = [ok("T1", w("x", 1), w("y", 1)), ok("T2", w("x", 2), w("y", 2))];
    expectAnomaly(
      checkSerializable(history, { versionOrder: { x: [1, 2], y: [2, 1] } }),
      "G0",
      "write cycle",
      ["T1", "T2"],
    );
    expectWitness(history, checkSerializable(history, { versionOrder: { x: [1, 2], y: [1, 2] } }));
  });

  test("a history is judged by its least severe explanation, over every version order", () => {
    // x's writes are not ordered by any read: one order gives a write cycle with y, the other
    // only the read skew that T3's reads force.
    const result = checkSerializable(
      [
        ok("T1", w("x", 1), w("y", 1)),
        ok("T2", w("x", 2), w("y", 2)),
        ok("T3", r("y", 2), r("x", 1)),
      ],
      { versionOrder: { y: [1, 2] } },
    );
    expect(result.serializable).toBe(false);
    expect(result.serializable === false && result.anomaly).toBe("G-single");
  });

  test("too many version orders to try gives unknown, never a guess", () => {
    const history = Array.from({ length: 9 }, (_, index) => ok(`T${index}`, w("x", index)));
    expect(checkSerializable(history, { versionOrdersMax: 1_000 }).serializable).toBe("unknown");
  });

  test("a write of the same value twice is refused: reads must say whose write they saw", () => {
    expect(() => checkSerializable([ok("T1", w("x", 1)), ok("T2", w("x", 1))])).toThrow(
      /more than once/,
    );
  });
});

describe("transaction checker: agrees with brute force", () => {
  test("on 400 random small histories, serializable exactly when some serial order explains every read", () => {
    let seed = 7;
    const random = (): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const pick = <Item>(items: readonly Item[]): Item =>
      items[Math.floor(random() * items.length)]!;
    let disagreements = 0;
    let serializableCount = 0;
    for (let round = 0; round < 400; round++) {
      const written: Record<string, Value[]> = { x: [null], y: [null] };
      let next = 1;
      const history: TransactionRecord[] = [];
      for (let index = 1; index <= 4; index++) {
        const operations: TransactionOperation[] = [];
        const own = new Map<string, Value>();
        for (let step = 0; step < 3; step++) {
          const key = pick(["x", "y"]);
          if (random() < 0.5) {
            const value = next++;
            operations.push(w(key, value));
            own.set(key, value);
            written[key]!.push(value);
          } else {
            operations.push(r(key, own.has(key) ? own.get(key)! : pick(written[key]!)));
          }
        }
        history.push({ id: `T${index}`, outcome: random() < 0.85 ? "ok" : "fail", operations });
      }
      const verdict = checkSerializable(history).serializable;
      const truth = bruteForce(history);
      if (verdict !== truth) disagreements++;
      if (truth) serializableCount++;
    }
    expect(disagreements, "the checker and the brute-force search disagree").toBe(0);
    expect(serializableCount, "the sample should hold both kinds of history").toBeGreaterThan(20);
    expect(serializableCount).toBeLessThan(380);
  });
});

/** Tries every serial order of the committed transactions; intermediate reads never match. */
function bruteForce(history: readonly TransactionRecord[]): boolean {
  const committed = history.filter((each) => each.outcome === "ok");
  const orders = (items: TransactionRecord[]): TransactionRecord[][] =>
    items.length <= 1
      ? [items]
      : items.flatMap((item, index) =>
          orders([...items.slice(0, index), ...items.slice(index + 1)]).map((rest) => [
            item,
            ...rest,
          ]),
        );
  return orders(committed).some((order) => {
    const state = new Map<string, Value>();
    for (const transaction of order) {
      for (const operation of transaction.operations) {
        if (operation.kind === "write") state.set(operation.key, operation.value);
        else if ((state.get(operation.key) ?? null) !== operation.value) return false;
      }
    }
    return true;
  });
}
