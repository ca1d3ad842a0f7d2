import type { KeyObject } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import { scanClaimedSegments } from './verify-thread-scan.js';
import { SegmentClaims } from './segment-claims.js';

/** A verify worker: scans the segments it claims (see verify-journal.ts) and posts what it found. */
const { directory, segments, keys, shared, worker } = workerData as {
  directory: string;
  segments: string[];
  keys: [string, KeyObject][];
  shared: SharedArrayBuffer;
  worker: number;
};
const claims = new SegmentClaims(shared);
// No top-level await: from sources this module is loaded through tsx's CommonJS hook (see verify-journal.ts).
if (claims.join(worker)) {
  // A failure rejects unhandled, which ends the worker with an 'error' event the caller turns into a rejection.
  void scanClaimedSegments(directory, segments, new Map(keys), claims).then((scanned) =>
    parentPort!.postMessage(scanned),
  );
} else {
  parentPort!.postMessage([]);
}
