import type { LinkOptions, NodeId } from "../../harness/index.js";
import { checkSerializable, Simulation, type TransactionRecord } from "../../harness/testing.js";
import {
  balanceOf,
  Shard,
  shardOf,
  TransactionClient,
  type ShardMessage,
  type ShardTransaction,
} from "./sharded-transactions.js";

// Test support for exercise 3.3: three shards, some clients, and the checks run over them. You
// do not need to change anything here.

export const shards = ["s1", "s2", "s3"];
export const accounts = ["a", "b", "c", "d", "e", "f"];
const initialValue = "100@init";

export interface ShardWorldOptions {
  seed: number;
  name: string;
  clientCount?: number;
  network?: Partial<LinkOptions>;
  /** Check after every event that money is conserved (off when puts set balances). @default true */
  conserved?: boolean;
}

/**
 * Three shards holding accounts a–f (100 each), clients c1…cN, and, after every event, the check
 * that money is conserved over the committed state: each account's committed value, or the
 * prepared write of a transaction already decided commit.
 */
export function shardWorld(options: ShardWorldOptions) {
  const clients = Array.from({ length: options.clientCount ?? 3 }, (_, index) => `c${index + 1}`);
  const simulation = new Simulation<ShardMessage>({
    seed: options.seed,
    name: options.name,
    network: { latencyMs: { min: 1, max: 10 }, ...options.network },
  });
  const initial = Object.fromEntries(accounts.map((account) => [account, initialValue]));
  // Each shard starts with the accounts `shardOf` gives it.
  simulation.addNodes(
    shards,
    (context) =>
      new Shard(
        context,
        Object.fromEntries(
          accounts
            .filter((account) => shardOf(account, shards) === context.id)
            .map((account) => [account, initialValue]),
        ),
      ),
  );
  simulation.addNodes(clients, (context) => new TransactionClient(context, shards));
  const shard = (id: NodeId) => simulation.node<Shard>(id)!;
  const client = (id: NodeId) => simulation.node<TransactionClient>(id)!;
  const started = new Map<string, { client: NodeId; atMs: number }>();
  const waitsMs = new Map<string, number>();

  /** Each account's committed value, counting writes whose transaction is decided commit. */
  const effective = (): Map<string, string> => {
    const values = new Map<string, string>();
    for (const id of shards)
      for (const account of accounts) {
        const value = shard(id).value(account);
        if (value !== undefined) values.set(account, value);
      }
    for (const id of shards)
      for (const prepared of shard(id).prepared) {
        const owner = started.get(prepared.transaction)?.client;
        if (owner === undefined) continue;
        if (client(owner).decidedCommit(prepared.transaction, prepared.attempt))
          for (const [key, value] of Object.entries(prepared.writes)) values.set(key, value);
      }
    return values;
  };

  simulation.addInvariant("total money is conserved over the committed state", () => {
    if (options.conserved === false) return;
    const values = effective();
    const total = [...values.values()].reduce((sum, value) => sum + balanceOf(value), 0);
    if (total !== accounts.length * 100)
      return `the committed balances add up to ${total}, not ${accounts.length * 100}: ${[...values].map(([key, value]) => `${key}=${balanceOf(value)}`).join(", ")} (a transfer committed at one shard but not the other, or was applied twice)`;
  });

  const seenOf = new Map<NodeId, number>();
  simulation.addInvariant("(record how long each transaction waited)", () => {
    for (const id of clients) {
      const committed = client(id).committed;
      for (let index = seenOf.get(id) ?? 0; index < committed.length; index++)
        waitsMs.set(
          committed[index]!.id,
          simulation.nowMs - started.get(committed[index]!.id)!.atMs,
        );
      seenOf.set(id, committed.length);
    }
  });

  const run = (on: NodeId, transaction: ShardTransaction): void => {
    started.set(transaction.id, { client: on, atMs: simulation.nowMs });
    simulation.act<TransactionClient>(on, `run ${transaction.id}`, (node) => node.run(transaction));
  };

  /** Every committed transaction, as the serializability checker reads them. */
  const history = (): TransactionRecord[] =>
    clients.flatMap((id) =>
      client(id).committed.map((committed) => ({
        id: committed.id,
        outcome: "ok" as const,
        operations: [
          ...Object.entries(committed.reads).map(([key, value]) => ({
            kind: "read" as const,
            key,
            value,
          })),
          ...Object.entries(committed.writes).map(([key, value]) => ({
            kind: "write" as const,
            key,
            value,
          })),
        ],
      })),
    );

  const serializability = () => {
    const transactions = history();
    // The shards know the order they installed each key's versions in: pass it, so that the
    // check is exact without trying every order. A write decided commit but not yet installed
    // (its COMMIT still on the wire) comes last: the key stays locked until it is installed.
    const versionOrder = Object.fromEntries(
      accounts.map((account) => {
        const order = [...(installed.get(account) ?? [])];
        for (const transaction of transactions)
          for (const operation of transaction.operations)
            if (
              operation.kind === "write" &&
              operation.key === account &&
              !order.includes(String(operation.value))
            )
              order.push(String(operation.value));
        return [account, order];
      }),
    );
    return checkSerializable(transactions, { initial, versionOrder });
  };

  /** Each account's installed versions, in order, as the shards applied them. */
  const installed = new Map<string, string[]>();
  simulation.addInvariant("(record the order versions are installed in)", () => {
    for (const id of shards)
      for (const account of accounts) {
        const value = shard(id).value(account);
        if (value === undefined || value === initialValue) continue;
        const list = installed.get(account) ?? [];
        if (list.at(-1) !== value) list.push(value);
        installed.set(account, list);
      }
  });

  const idle = () => clients.every((id) => client(id).idle);
  const lockedKeys = () => shards.flatMap((id) => [...shard(id).locks.keys()]);

  return {
    simulation,
    clients,
    shard,
    client,
    run,
    history,
    serializability,
    idle,
    lockedKeys,
    waitsMs,
  };
}
