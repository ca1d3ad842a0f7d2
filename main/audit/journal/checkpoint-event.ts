import type { KeyObject } from 'node:crypto';
import { z } from 'zod';
import type { AuditEvent } from '../audit-event.js';
import { canonicalJson } from './canonical-json.js';
import { checkCheckpointLine } from './checkpoint.js';
import type { CheckpointRecord } from './journal-record.js';
import { sha256Hex } from './journal-record.js';
import type { ChainHead } from './segment-chain-scan.js';
import { auditEventSchema } from './stored-record-schema.js';

/**
 * A checkpoint as the `audit.checkpoint` event forwarders send (docs/audit.md#the-witnessed-head): the
 * event id and seq are the checkpoint record's, and the details carry everything needed to rebuild the
 * record, check its signature and know the chain hash after it, so a collector holds the head as a witness.
 * Checkpoints written before they named their workstation and key fingerprint are not turned into events.
 */
export function checkpointEvent(record: CheckpointRecord, hash: string): AuditEvent | undefined {
  const { at, keyId, fingerprint, workstation, sig } = record.checkpoint;
  if (fingerprint === undefined || workstation === undefined) return undefined;
  return {
    type: 'audit.checkpoint',
    at,
    workstation,
    outcome: 'success',
    reason: `journal head signed at record ${record.seq}`,
    // signedAt repeats `at` exactly as signed: a collector may reformat the time it stores (FHIR `recorded`).
    details: { hash, prev: record.prev, keyId, fingerprint, sig, signedAt: at },
  };
}

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);
const detailsSchema = z.object({
  hash: hex64,
  prev: hex64,
  keyId: z.string().regex(/^[0-9a-f]{32}$/),
  fingerprint: hex64,
  sig: z.string().min(1),
  signedAt: z.string().optional(),
});

/** A forwarded checkpoint read back: the record it stands for and the head it witnesses. */
export interface WitnessCheckpoint {
  record: CheckpointRecord;
  head: ChainHead;
  fingerprint: string;
}

/**
 * Rebuilds the checkpoint record from an `audit.checkpoint` event (as exported from the journal or read back
 * from a collector), checks its signature under the trusted keys, and that its stated hash is the record's.
 * Throws saying what is wrong; a checkpoint that does not verify is no witness.
 */
export function witnessFromEvent(
  stored: { id: string; seq: number; event: AuditEvent },
  publicKeys: ReadonlyMap<string, KeyObject>,
): WitnessCheckpoint {
  const { event } = stored;
  if (event.type !== 'audit.checkpoint') throw new Error(`it is a ${event.type} event, not an audit.checkpoint`);
  const parsed = detailsSchema.safeParse(event.details ?? {});
  if (!parsed.success)
    throw new Error(
      `its details lack a valid hash, prev, keyId, fingerprint or sig (${parsed.error.issues[0]!.message})`,
    );
  const { hash, prev, keyId, fingerprint, sig, signedAt } = parsed.data;
  const record: CheckpointRecord = {
    kind: 'checkpoint',
    seq: stored.seq,
    id: stored.id,
    prev,
    checkpoint: { at: signedAt ?? event.at, keyId, fingerprint, workstation: event.workstation, sig },
  };
  const line = canonicalJson(record);
  const { problem } = checkCheckpointLine(line, publicKeys);
  if (problem) throw new Error(problem);
  if (sha256Hex(line) !== hash) throw new Error(`its hash ${hash} is not the hash of the checkpoint it describes`);
  return { record, head: { seq: stored.seq, hash }, fingerprint };
}

const fhirSchema = z.object({
  resourceType: z.literal('AuditEvent'),
  id: z.string(),
  recorded: z.string(),
  source: z.object({ observer: z.object({ display: z.string() }) }),
  subtype: z.array(z.object({ system: z.string().optional(), code: z.string() })),
  entity: z
    .array(z.object({ detail: z.array(z.object({ type: z.string(), valueString: z.string() })).optional() }))
    .min(1),
});

/**
 * The `{id, seq, event}` of an audit.checkpoint from a collector's copy: a line of `careshell-audit export`
 * (or a forwarded event in that shape), or a FHIR R4 AuditEvent as the FHIR forwarder stored it.
 */
export function checkpointEventFromJson(value: unknown): { id: string; seq: number; event: AuditEvent } {
  const fhir = fhirSchema.safeParse(value);
  if (!fhir.success) {
    const line = z
      .object({ id: z.string(), seq: z.number().int().positive(), event: auditEventSchema })
      .safeParse(value);
    if (!line.success)
      throw new Error('it is neither a careshell-audit export line ({"id","seq","event"}) nor a FHIR AuditEvent');
    return line.data;
  }
  const { id, recorded, source, subtype, entity } = fhir.data;
  const details = Object.fromEntries((entity[0]!.detail ?? []).map(({ type, valueString }) => [type, valueString]));
  const { seq, ...rest } = details;
  if (!subtype.some((coding) => coding.code === 'audit.checkpoint') || seq === undefined || !/^\d+$/.test(seq))
    throw new Error('the FHIR AuditEvent is not a CareShell audit.checkpoint with a seq');
  return {
    id,
    seq: Number(seq),
    event: {
      type: 'audit.checkpoint',
      at: recorded,
      workstation: source.observer.display,
      outcome: 'success',
      details: rest,
    },
  };
}
