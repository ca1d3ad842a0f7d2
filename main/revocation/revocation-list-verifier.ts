import { compactVerify, decodeProtectedHeader, errors, importJWK, type CryptoKey, type KeyObject } from 'jose';
import { messageOf } from '../../common/errors.js';
import { problemsFromZod } from '../policy/policy-problem.js';
import {
  REVOCATION_LIST_ALGORITHMS,
  REVOCATION_LIST_CLOCK_SKEW_MS,
  REVOCATION_LIST_TYP,
  revocationListPayloadSchema,
  type RevocationListPayload,
} from './revocation-list-format.js';
import type { RevocationPublicKey } from './revocation-list-policy.js';

/** Why a list was not applied; each is audited once while it lasts (docs/temporary-access.md#revocation-list). */
export type RevocationListProblemCode =
  | 'malformed'
  | 'alg-not-allowed'
  | 'wrong-typ'
  | 'unknown-kid'
  | 'bad-signature'
  | 'invalid-payload'
  | 'wrong-issuer'
  | 'rollback'
  | 'issued-in-future'
  | 'stale'
  | 'unreachable'
  | 'tls'
  | 'http-status'
  | 'content-type'
  | 'too-large'
  | 'redirect';

export interface RevocationListProblem {
  code: RevocationListProblemCode;
  message: string;
}

/** A list whose signature is one of the pinned keys' and whose payload is well formed. */
export interface VerifiedRevocationList {
  /** The JWS as served: what is kept on disk and verified again at the next start. */
  jws: string;
  kid: string;
  alg: string;
  payload: RevocationListPayload;
}

export type Verification = { ok: true; list: VerifiedRevocationList } | { ok: false; problem: RevocationListProblem };

const ALG_OF_KEY = { OKP: 'EdDSA', EC: 'ES256' } as const;

const refuse = (code: RevocationListProblemCode, message: string): Verification => ({
  ok: false,
  problem: { code, message },
});

/**
 * Checks a list's signature against the keys policy pins and parses its payload; trusts nothing before the
 * signature holds. The algorithm comes from the pinned key, never from the list alone: a list that says `none`,
 * HS256 or RS256, or EdDSA with an EC key, is refused before any verification.
 */
export function revocationListVerifier(keys: readonly RevocationPublicKey[], issuer?: string) {
  const imported = new Map<string, Promise<CryptoKey | KeyObject | Uint8Array>>();
  const keyFor = (jwk: RevocationPublicKey) => {
    let key = imported.get(jwk.kid);
    if (!key) {
      key = importJWK({ ...jwk }, ALG_OF_KEY[jwk.kty]);
      imported.set(jwk.kid, key);
    }
    return key;
  };

  return async function verify(jws: string): Promise<Verification> {
    const text = jws.trim();
    if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+$/.test(text))
      return refuse('malformed', 'the answer is not a JWS compact serialization (three base64url parts)');
    let header;
    try {
      header = decodeProtectedHeader(text);
    } catch (error) {
      return refuse('malformed', `the JWS header cannot be read: ${messageOf(error)}`);
    }
    const alg = typeof header.alg === 'string' ? header.alg : '';
    if (!(REVOCATION_LIST_ALGORITHMS as readonly string[]).includes(alg))
      return refuse(
        'alg-not-allowed',
        `the list is signed with "${alg || 'no algorithm'}"; only EdDSA and ES256 are accepted`,
      );
    if (header.typ !== REVOCATION_LIST_TYP)
      return refuse('wrong-typ', `the list's typ is "${String(header.typ ?? '')}", not "${REVOCATION_LIST_TYP}"`);
    const kid = typeof header.kid === 'string' ? header.kid : '';
    const jwk = keys.find((k) => k.kid === kid);
    if (!jwk)
      return refuse(
        'unknown-kid',
        `the list is signed with key "${kid}", which identity.revocationList.publicKeys does not pin (${keys.map((k) => k.kid).join(', ')})`,
      );
    if (ALG_OF_KEY[jwk.kty] !== alg)
      return refuse('alg-not-allowed', `key "${kid}" signs with ${ALG_OF_KEY[jwk.kty]}, but the list says ${alg}`);
    let payloadBytes: Uint8Array;
    try {
      ({ payload: payloadBytes } = await compactVerify(text, await keyFor(jwk), { algorithms: [alg] }));
    } catch (error) {
      if (error instanceof errors.JWSSignatureVerificationFailed)
        return refuse('bad-signature', `the signature does not match key "${kid}": the list was altered or forged`);
      return refuse('malformed', `the JWS cannot be verified: ${messageOf(error)}`);
    }
    let json: unknown;
    try {
      json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payloadBytes));
    } catch {
      return refuse('invalid-payload', 'the signed payload is not JSON');
    }
    const parsed = revocationListPayloadSchema.safeParse(json);
    if (!parsed.success)
      return refuse(
        'invalid-payload',
        `the signed payload is not a revocation list: ${problemsFromZod(parsed.error, [])
          .map((p) => `${p.path}: ${p.message}`)
          .join('; ')}`,
      );
    if (issuer !== undefined && parsed.data.iss !== issuer)
      return refuse('wrong-issuer', `the list's issuer is "${parsed.data.iss}", not "${issuer}"`);
    return { ok: true, list: { jws: text, kid, alg, payload: parsed.data } };
  };
}
export type RevocationListVerify = ReturnType<typeof revocationListVerifier>;

/** How old a list may be, and the workstation's wall clock to judge it by. */
export interface Freshness {
  nowMs: number;
  maxAgeMs: number;
}

/** Why a list is stale now, or undefined while it is current. */
export function staleness(payload: RevocationListPayload, { nowMs, maxAgeMs }: Freshness): string | undefined {
  const expires = Date.parse(payload.expiresAt);
  if (nowMs >= expires) return `list ${payload.sequence} expired at ${payload.expiresAt}`;
  const issued = Date.parse(payload.issuedAt);
  if (nowMs - issued > maxAgeMs)
    return `list ${payload.sequence} was issued at ${payload.issuedAt}, more than ${Math.round(maxAgeMs / 60_000)} minutes ago`;
  return undefined;
}

/**
 * Whether a verified list may replace the one applied (sequence `lastSequence`, 0 for none): never a lower
 * sequence (a replayed old list would bring revoked accounts back), never another list under the same sequence,
 * never one issued in the future beyond the clock skew, never a stale one.
 */
export function admissionProblem(
  list: VerifiedRevocationList,
  last: { sequence: number; jws?: string } | undefined,
  freshness: Freshness,
): RevocationListProblem | undefined {
  const { sequence, issuedAt } = list.payload;
  if (last && sequence < last.sequence)
    return { code: 'rollback', message: `list ${sequence} is older than list ${last.sequence}, already applied` };
  if (last && sequence === last.sequence && list.jws !== last.jws)
    return { code: 'rollback', message: `a different list carries sequence ${sequence}, already applied` };
  if (Date.parse(issuedAt) - freshness.nowMs > REVOCATION_LIST_CLOCK_SKEW_MS)
    return {
      code: 'issued-in-future',
      message: `list ${sequence} says it was issued at ${issuedAt}, ahead of this workstation's clock`,
    };
  const stale = staleness(list.payload, freshness);
  if (stale) return { code: 'stale', message: stale };
  return undefined;
}
