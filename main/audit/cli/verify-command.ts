import type { KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { messageOf } from '../../../common/errors.js';
import { checkpointEventFromJson, witnessFromEvent } from '../journal/checkpoint-event.js';
import type { ChainHead } from '../journal/segment-chain-scan.js';
import { verifyJournal } from '../journal/verify-journal.js';
import type { TrustAnchorOptions } from '../keys/trust-anchors.js';
import { keyFingerprintOf } from '../keys/audit-key-store.js';
import { loadPublicKeys } from '../keys/file-audit-key-store.js';
import { loadTrustAnchors } from '../keys/trust-anchors.js';

export interface VerifyCommandOptions extends TrustAnchorOptions {
  dir: string;
  maxUnsigned: number;
  /** `<seq>:<hash>` as given on the command line. */
  expectHead?: string;
  /** A file holding the collector's last audit.checkpoint (export line or FHIR AuditEvent). */
  expectCheckpoint?: string;
  json: boolean;
}

/** Thrown for input the auditor has to fix (exit code 2 with the usage). */
export class VerifyUsageError extends Error {}

/** `careshell-audit verify`: returns the exit code (0 intact, 1 not), writing the report to `out`. */
export async function verifyCommand(options: VerifyCommandOptions, out: (text: string) => void): Promise<number> {
  const trusted = await loadTrustAnchors(options).catch((error: unknown) => {
    throw new VerifyUsageError(messageOf(error));
  });
  const keys = new Map<string, KeyObject>([...trusted].map(([keyId, { key }]) => [keyId, key]));
  const expectHead = await expectedHead(options, keys);
  const report = await verifyJournal(options.dir, keys, {
    threads: availableParallelism(),
    maxUnsigned: options.maxUnsigned,
    ...(expectHead ? { expectHead } : {}),
  });
  if (options.json) {
    out(`${JSON.stringify(report)}\n`);
    return report.ok ? 0 : 1;
  }
  for (const p of report.problems)
    out(`BROKEN ${p.segment} at byte ${p.offset}${p.seq === undefined ? '' : ` (record ${p.seq})`}: ${p.problem}\n`);
  for (const run of report.signedBy) {
    const { fingerprint, source } = trusted.get(run.keyId)!;
    const from = source.startsWith('fingerprint') ? source : `${source}, fingerprint ${fingerprint}`;
    out(
      `signed: records ${run.fromSeq}..${run.toSeq} by key ${run.keyId} (${from}), ${run.checkpoints} checkpoint(s)\n`,
    );
  }
  if (report.lastSeq !== undefined) {
    const witnessed = expectHead && report.ok ? `; matches the witnessed head, record ${expectHead.seq}` : '';
    out(`head: record ${report.lastSeq}, hash ${report.lastHash}${witnessed}\n`);
  }
  const summary = `${report.records} records (${report.events} events, ${report.checkpoints} checkpoints) in ${report.segments} segments, seq ${report.firstSeq ?? '-'}..${report.lastSeq ?? '-'}`;
  const unsigned =
    report.unsignedRecords > 0
      ? `; ${report.unsignedRecords} records after the last checkpoint are chained but not yet signed`
      : '';
  out(report.ok ? `OK: ${summary}${unsigned}\n` : `FAILED: ${report.problems.length} problem(s); ${summary}\n`);
  return report.ok ? 0 : 1;
}

/** The head the journal must reach: given as `<seq>:<hash>`, or taken from a verified collector checkpoint. */
async function expectedHead(
  options: VerifyCommandOptions,
  keys: ReadonlyMap<string, KeyObject>,
): Promise<ChainHead | undefined> {
  if (options.expectHead !== undefined && options.expectCheckpoint !== undefined)
    throw new VerifyUsageError('give --expect-head or --expect-checkpoint, not both.');
  if (options.expectHead !== undefined) {
    const match = /^(\d+):([0-9a-fA-F]{64})$/.exec(options.expectHead);
    if (!match)
      throw new VerifyUsageError(
        `--expect-head "${options.expectHead}" is not <seq>:<hash>: give the record number and its 64-hex-digit hash, as the collector's last audit.checkpoint names them (its seq and its "hash" detail).`,
      );
    return { seq: Number(match[1]), hash: match[2]!.toLowerCase() };
  }
  if (options.expectCheckpoint === undefined) return undefined;
  const file = options.expectCheckpoint;
  try {
    const stored = checkpointEventFromJson(JSON.parse(await readFile(file, 'utf8')));
    return witnessFromEvent(stored, keys).head;
  } catch (error) {
    throw new Error(
      `--expect-checkpoint ${file} is not a usable witness: ${messageOf(error)}. Export the collector's last audit.checkpoint for this workstation (a careshell-audit export line or the FHIR AuditEvent) into the file.`,
    );
  }
}

/**
 * The verify command line for a journal and the keys its folder holds now, each pinned by fingerprint: what
 * to print (or note) at the moment the workstation made its key, so later verifies do not trust whatever
 * key the folder holds by then.
 */
export async function pinnedVerifyArgs(journalDir: string, keysDir: string): Promise<string[]> {
  const keys = [...(await loadPublicKeys(keysDir)).values()];
  return ['--dir', journalDir, '--keys', keysDir, ...keys.flatMap((key) => ['--fingerprint', keyFingerprintOf(key)])];
}
