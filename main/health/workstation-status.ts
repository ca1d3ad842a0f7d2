import path from 'node:path';
import { z } from 'zod';

/** The status file's name in the app's data folder; `careshell-status` reads it (docs/it-guide.md#health). */
export const STATUS_FILE_NAME = 'status.json';

export const statusFilePath = (dataDir: string) => path.join(dataDir, STATUS_FILE_NAME);

/** Bumped when a field changes meaning, so an older CLI says it cannot read a newer file instead of guessing. */
export const STATUS_FORMAT = 1;

const isoTime = z.iso.datetime({ offset: true });

const readerSchema = z.strictObject({
  id: z.string(),
  description: z.string(),
  state: z.enum(['ready', 'missing', 'error']),
  message: z.string().optional(),
});

const destinationSchema = z.strictObject({
  destination: z.string(),
  state: z.enum(['idle', 'sending', 'waiting-to-retry', 'stopped']),
  deliveredSeq: z.number().int().min(0),
  /** Records in the journal the collector has not acknowledged yet. */
  backlog: z.number().int().min(0),
  consecutiveFailures: z.number().int().min(0),
  stalled: z.boolean(),
  lastError: z.string().optional(),
  /** When this process first saw the collector acknowledge more records (to within the refresh interval). */
  lastDeliveryAt: isoTime.optional(),
});

/**
 * What a running CareShell says about itself, for IT: no user names, no badge data, nothing about patients.
 * The same facts go into each `workstation.heartbeat` audit event.
 */
export const workstationStatusSchema = z.strictObject({
  format: z.literal(STATUS_FORMAT),
  app: z.strictObject({ version: z.string(), pid: z.number().int().positive() }),
  workstation: z.string(),
  writtenAt: isoTime,
  /** The app rewrites the file before this; a file older than this means the app is hung or not running. */
  staleAfter: isoTime,
  /** `starting`, `running`, `locked` (on a start problem: see `problem`) or `stopped` (shut down cleanly). */
  state: z.enum(['starting', 'running', 'locked', 'stopped']),
  problem: z.strictObject({ kind: z.string(), message: z.string() }).optional(),
  policy: z.strictObject({
    /** Where the machine policy is read from. */
    source: z.string(),
    /** The policy file's `version` (its format) and a digest of its content, to tell two revisions apart. */
    formatVersion: z.number().int().optional(),
    digest: z.string().optional(),
    profile: z.string().optional(),
  }),
  readers: z.array(readerSchema),
  audit: z.strictObject({ journalSeq: z.number().int().min(0), destinations: z.array(destinationSchema) }),
  heartbeat: z.strictObject({ intervalMinutes: z.number().int().positive(), lastAt: isoTime.optional() }),
  /** The signed revocation list (docs/temporary-access.md#revocation-list), when policy sets one. */
  revocationList: z
    .strictObject({
      url: z.string(),
      pollSeconds: z.number().int().positive(),
      /** The list applied; none before the first good one. */
      sequence: z.number().int().optional(),
      issuedAt: isoTime.optional(),
      revokedCount: z.number().int().min(0).optional(),
      /** When the server last answered with a usable list or "not modified". */
      lastCheckAt: isoTime.optional(),
      /** Why the applied list is stale (older than maxAgeMinutes or expired). */
      stale: z.string().optional(),
      /** Why the last fetch brought no new list, since when. */
      problem: z.strictObject({ code: z.string(), message: z.string(), since: isoTime }).optional(),
    })
    .optional(),
});
export type WorkstationStatus = z.infer<typeof workstationStatusSchema>;
export type DestinationStatus = z.infer<typeof destinationSchema>;
