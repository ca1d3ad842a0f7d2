import type { KeyObject } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import { scanSegments } from './scan-segments.js';

/** A verify worker: scans its share of the segments (see verify-journal.ts) and posts the result. */
const { directory, segments, keys } = workerData as { directory: string; segments: string[]; keys: [string, KeyObject][] };
parentPort!.postMessage(await scanSegments(directory, segments, new Map(keys)));
