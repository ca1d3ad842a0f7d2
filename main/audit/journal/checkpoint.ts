import { sign, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { AuditSigningKey } from '../keys/audit-key-store.js';
import { keyFingerprintOf } from '../keys/audit-key-store.js';
import { canonicalJson } from './canonical-json.js';
import type { CheckpointRecord } from './journal-record.js';

type Unsigned = Omit<CheckpointRecord, 'checkpoint'> & { checkpoint: Omit<CheckpointRecord['checkpoint'], 'sig'> };

/**
 * What a checkpoint signature covers: the record itself minus `sig`, in canonical bytes. Every other field
 * is covered, so checkpoints from before `fingerprint` and `workstation` were added verify as they were.
 */
function signedBytes(record: Unsigned | CheckpointRecord): Buffer {
  const { sig: _sig, ...covered } = record.checkpoint as CheckpointRecord['checkpoint'];
  return Buffer.from(canonicalJson({ ...record, checkpoint: covered }), 'utf8');
}

export function signCheckpoint(
  key: AuditSigningKey,
  fields: { seq: number; id: string; prev: string; at: string; workstation: string },
): CheckpointRecord {
  const { seq, id, prev, at, workstation } = fields;
  const unsigned: Unsigned = {
    kind: 'checkpoint',
    seq,
    id,
    prev,
    checkpoint: { at, keyId: key.keyId, fingerprint: key.fingerprint, workstation },
  };
  const sig = sign(null, signedBytes(unsigned), key.privateKey).toString('base64');
  return { ...unsigned, checkpoint: { ...unsigned.checkpoint, sig } };
}

/** What checking one checkpoint found: the key it names (when readable) and what is wrong, if anything. */
export interface CheckpointCheck {
  seq?: number;
  keyId?: string;
  problem?: string;
}

/** Checks one checkpoint line against the trusted keys (by key id). */
export function checkCheckpointLine(line: string, publicKeys: ReadonlyMap<string, KeyObject>): CheckpointCheck {
  let record: CheckpointRecord;
  try {
    record = JSON.parse(line) as CheckpointRecord;
  } catch {
    return { problem: 'checkpoint is not valid JSON' };
  }
  const { checkpoint, seq } = record;
  if (
    typeof checkpoint?.keyId !== 'string' ||
    typeof checkpoint.sig !== 'string' ||
    typeof checkpoint.at !== 'string'
  ) {
    return { seq, problem: 'checkpoint lacks at, keyId or sig' };
  }
  const { keyId, fingerprint } = checkpoint;
  const key = publicKeys.get(keyId);
  if (!key) {
    const named = typeof fingerprint === 'string' ? `${keyId} (fingerprint ${fingerprint})` : keyId;
    return {
      seq,
      keyId,
      problem:
        `checkpoint is signed with key ${named}, which is not a trusted key: verify trusts only the keys given with ` +
        '--public-key or --fingerprint; get the workstation key fingerprint from IT records or the collector, never from the folder being checked',
    };
  }
  if (fingerprint !== undefined && fingerprint !== fingerprintOf(key))
    return { seq, keyId, problem: `checkpoint names fingerprint ${String(fingerprint)}, which is not its key's` };
  const ok = verify(null, signedBytes(record), key, Buffer.from(checkpoint.sig, 'base64'));
  return ok
    ? { seq, keyId }
    : {
        seq,
        keyId,
        problem: 'checkpoint signature does not match: the records it covers or the checkpoint itself were altered',
      };
}

/** Each trusted key's fingerprint, computed once per key rather than once per checkpoint. */
const fingerprints = new WeakMap<KeyObject, string>();
function fingerprintOf(key: KeyObject): string {
  let fingerprint = fingerprints.get(key);
  if (fingerprint === undefined) fingerprints.set(key, (fingerprint = keyFingerprintOf(key)));
  return fingerprint;
}
