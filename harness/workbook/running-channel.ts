import { BroadcastChannel, threadId } from "node:worker_threads";

/**
 * Which test and seed each worker is running right now. A worker announces each seed as it
 * starts; the CLI listens, so that when a worker dies (out of memory, killed) or hangs past the
 * watchdog, the learner is told which test and seed were running, not just that something went
 * wrong. Workers are threads of the CLI's own process, so a BroadcastChannel reaches it.
 */
export const runningChannelName = "workbook:running";

export interface RunningNow {
  /** Which worker: a process and thread id. */
  worker: string;
  /** The test file, absolute. */
  file: string;
  /** The test's full name. */
  test: string;
  seed?: number;
}

let channel: BroadcastChannel | undefined;

export function announceRunning(now: Omit<RunningNow, "worker">): void {
  if (channel === undefined) {
    channel = new BroadcastChannel(runningChannelName);
    channel.unref();
  }
  channel.postMessage({ worker: `${process.pid}/${threadId}`, ...now });
}
