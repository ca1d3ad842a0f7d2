import { createHmac, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  admissionProblem,
  revocationListVerifier,
  staleness,
  type Verification,
} from '../../../main/revocation/revocation-list-verifier.js';
import { ecKey, edKey, handmade, ISSUER, payload, sign, T0 } from './revocation-list-fixtures.js';

const codeOf = (v: Verification) => (v.ok ? 'ok' : v.problem.code);
const fresh = { nowMs: T0 + 60_000, maxAgeMs: 60 * 60_000 };

describe('revocation list verification (RFC 7515 compact JWS, pinned keys)', () => {
  it('accepts a list signed by a pinned Ed25519 or P-256 key and returns its payload', async () => {
    const ed = await edKey();
    const ec = await ecKey();
    const verify = revocationListVerifier([ed.jwk, ec.jwk], ISSUER);
    const byEd = await verify(await sign(ed, payload(3, ['u-1'])));
    const byEc = await verify(await sign(ec, payload(4, ['u-2'])));
    expect(byEd).toMatchObject({ ok: true, list: { kid: 'ed-1', alg: 'EdDSA', payload: { sequence: 3 } } });
    expect(byEc).toMatchObject({ ok: true, list: { kid: 'ec-1', alg: 'ES256', payload: { sequence: 4 } } });
  });

  it('refuses a list whose payload or signature was altered', async () => {
    const ed = await edKey();
    const verify = revocationListVerifier([ed.jwk]);
    const good = await sign(ed, payload(3, ['u-1']));
    const [h, , s] = good.split('.');
    const otherPayload = Buffer.from(JSON.stringify(payload(3, []))).toString('base64url');
    expect(codeOf(await verify(`${h}.${otherPayload}.${s}`))).toBe('bad-signature');
    const flipped = `${s!.slice(0, 10)}${s![10] === 'A' ? 'B' : 'A'}${s!.slice(11)}`;
    expect(codeOf(await verify(`${h}.${good.split('.')[1]}.${flipped}`))).toBe('bad-signature');
  });

  it('refuses a list signed by a key policy does not pin, even under a pinned kid', async () => {
    const pinned = await edKey('k1');
    const impostor = await edKey('k1');
    const verify = revocationListVerifier([pinned.jwk]);
    expect(codeOf(await verify(await sign(await edKey('k2'), payload(1, []))))).toBe('unknown-kid');
    expect(codeOf(await verify(await sign(impostor, payload(1, []))))).toBe('bad-signature');
    expect(codeOf(await verify(await sign(pinned, payload(1, []), { kid: undefined })))).toBe('unknown-kid');
  });

  it('refuses none, HS256 (the public key used as a secret), RS256 and an algorithm the pinned key does not use', async () => {
    const ed = await edKey();
    const ec = await ecKey();
    const verify = revocationListVerifier([ed.jwk, ec.jwk]);
    const body = payload(1, ['u-1']);
    expect(
      codeOf(await verify(handmade({ alg: 'none', kid: 'ed-1', typ: 'careshell-revocations+jwt' }, body, 'x'))),
    ).toBe('alg-not-allowed');
    const hsHeader = Buffer.from(
      JSON.stringify({ alg: 'HS256', kid: 'ed-1', typ: 'careshell-revocations+jwt' }),
    ).toString('base64url');
    const hsBody = Buffer.from(JSON.stringify(body)).toString('base64url');
    const mac = createHmac('sha256', ed.jwk.kty === 'OKP' ? ed.jwk.x : '')
      .update(`${hsHeader}.${hsBody}`)
      .digest('base64url');
    expect(codeOf(await verify(`${hsHeader}.${hsBody}.${mac}`))).toBe('alg-not-allowed');
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    expect(codeOf(await verify(await sign({ ...ed, privateKey: rsa, alg: 'EdDSA' }, body, { alg: 'RS256' })))).toBe(
      'alg-not-allowed',
    );
    // An ES256 signature presented under the Ed25519 key's kid: the key decides the algorithm.
    expect(codeOf(await verify(await sign(ec, body, { kid: 'ed-1' })))).toBe('alg-not-allowed');
  });

  it('refuses the wrong typ, a malformed JWS, a payload that is not a list, and another issuer', async () => {
    const ed = await edKey();
    const verify = revocationListVerifier([ed.jwk], ISSUER);
    expect(codeOf(await verify(await sign(ed, payload(1, []), { typ: 'JWT' })))).toBe('wrong-typ');
    expect(codeOf(await verify('<html>maintenance</html>'))).toBe('malformed');
    expect(codeOf(await verify('a.b'))).toBe('malformed');
    expect(codeOf(await verify(await sign(ed, 'not json')))).toBe('invalid-payload');
    const { sequence: _s, ...noSequence } = payload(1, []);
    expect(codeOf(await verify(await sign(ed, noSequence)))).toBe('invalid-payload');
    expect(codeOf(await verify(await sign(ed, { ...payload(1, []), extra: true })))).toBe('invalid-payload');
    const twice = payload(1, ['u-1']);
    expect(codeOf(await verify(await sign(ed, { ...twice, revoked: [...twice.revoked, ...twice.revoked] })))).toBe(
      'invalid-payload',
    );
    expect(codeOf(await verify(await sign(ed, { ...payload(1, []), iss: 'https://evil.test' })))).toBe('wrong-issuer');
  });
});

describe('which verified list may replace the applied one', () => {
  async function verified(sequence: number, userIds: string[], issuedMs = T0) {
    const ed = await edKey();
    const result = await revocationListVerifier([ed.jwk])(await sign(ed, payload(sequence, userIds, issuedMs)));
    if (!result.ok) throw new Error(result.problem.message);
    return result.list;
  }

  it('never a lower sequence, nor another list under the applied sequence', async () => {
    const list = await verified(5, ['u-1']);
    expect(admissionProblem(list, { sequence: 6 }, fresh)?.code).toBe('rollback');
    expect(admissionProblem(list, { sequence: 5, jws: 'other' }, fresh)?.code).toBe('rollback');
    expect(admissionProblem(list, { sequence: 4 }, fresh)).toBeUndefined();
    expect(admissionProblem(list, undefined, fresh)).toBeUndefined();
  });

  it('never one issued ahead of the clock beyond the skew, nor a stale or expired one', async () => {
    expect(
      admissionProblem(await verified(1, [], T0 + 4 * 60_000), undefined, { ...fresh, nowMs: T0 }),
    ).toBeUndefined();
    expect(admissionProblem(await verified(1, [], T0 + 6 * 60_000), undefined, { ...fresh, nowMs: T0 })?.code).toBe(
      'issued-in-future',
    );
    const old = await verified(1, []);
    expect(admissionProblem(old, undefined, { nowMs: T0 + 61 * 60_000, maxAgeMs: 60 * 60_000 })?.code).toBe('stale');
    expect(staleness(old.payload, { nowMs: T0 + 25 * 3_600_000, maxAgeMs: 48 * 3_600_000 })).toMatch(/expired/);
    expect(staleness(old.payload, { nowMs: T0 + 59 * 60_000, maxAgeMs: 60 * 60_000 })).toBeUndefined();
  });
});
