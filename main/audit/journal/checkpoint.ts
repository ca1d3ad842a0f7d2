import { sign, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { AuditSigningKey } from '../keys/audit-key-store.js';
import { canonicalJson } from './canonical-json.js';
import type { CheckpointRecord } from './journal-record.js';

type Unsigned = Omit<CheckpointRecord, 'checkpoint'> & { checkpoint: { at: string; keyId: string } };

/** What a checkpoint signature covers: the record itself minus `sig`, in canonical bytes. */
function signedBytes(record: Unsigned): Buffer {
  const { at, keyId } = record.checkpoint;
  return Buffer.from(canonicalJson({ ...record, checkpoint: { at, keyId } }), 'utf8');
}

export function signCheckpoint(
  key: AuditSigningKey,
  fields: { seq: number; id: string; prev: string; at: string },
): CheckpointRecord {
  const { seq, id, prev, at } = fields;
  const unsigned: Unsigned = { kind: 'checkpoint', seq, id, prev, checkpoint: { at, keyId: key.keyId } };
  const sig = sign(null, signedBytes(unsigned), key.privateKey).toString('base64');
  return { ...unsigned, checkpoint: { ...unsigned.checkpoint, sig } };
}

/** Checks one checkpoint line; returns what is wrong, or undefined when its signature holds. */
export function checkCheckpointLine(line: string, publicKeys: ReadonlyMap<string, KeyObject>): string | undefined {
  let record: CheckpointRecord;
  try {
    record = JSON.parse(line) as CheckpointRecord;
  } catch {
    return 'checkpoint is not valid JSON';
  }
  const { checkpoint } = record;
  if (
    typeof checkpoint?.keyId !== 'string' ||
    typeof checkpoint.sig !== 'string' ||
    typeof checkpoint.at !== 'string'
  ) {
    return 'checkpoint lacks at, keyId or sig';
  }
  const key = publicKeys.get(checkpoint.keyId);
  if (!key) {
    return `checkpoint is signed with key ${checkpoint.keyId}, which is not among the trusted public keys (pass it with --public-key or --keys)`;
  }
  const ok = verify(null, signedBytes(record), key, Buffer.from(checkpoint.sig, 'base64'));
  return ok
    ? undefined
    : 'checkpoint signature does not match: the records it covers or the checkpoint itself were altered';
}
