import { generateKeyPairSync } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { systemRandom } from '../../../../common/random.js';
import { auditPolicySchema } from '../../../../main/audit/forwarding/audit-policy.js';
import { startForwarders } from '../../../../main/audit/forwarding/start-forwarders.js';
import { journalFixture } from '../support/journal-fixture.js';
import { useTeardown, useTestTls } from '../support/lifecycle.js';

const tls = useTestTls();
const teardown = useTeardown();

/** Starts forwarders for one ATNA destination whose tls section points at files holding `files`. */
async function startWith(files: { caFile?: string; certFile?: string; keyFile?: string }, kind = 'atna-syslog') {
  const f = await journalFixture();
  teardown(f.cleanup);
  const journal = await f.open();
  teardown(() => journal.close());
  const tlsSection: Record<string, string> = {};
  for (const [key, text] of Object.entries(files)) {
    tlsSection[key] = path.join(f.root, `${key}.pem`);
    await writeFile(tlsSection[key], text);
  }
  const { forwarders } = auditPolicySchema.parse({
    forwarders: [{ kind, id: 'siem', host: '127.0.0.1', enterpriseNumber: 64_000, tls: tlsSection }],
  });
  const log = { warn: () => undefined };
  return startForwarders({
    journal,
    destinations: forwarders,
    cursorDirectory: path.join(f.root, 'audit-forwarding'),
    clock: f.clock,
    random: systemRandom,
    workstation: 'COW-3F-12',
    log,
  });
}

describe('startForwarders checks certificate and key files before starting', () => {
  it('names the key when the CA file is not a PEM certificate', async () => {
    await expect(startWith({ caFile: 'not a certificate' })).rejects.toThrow(
      /^audit\.forwarders\[0\]\.tls\.caFile \(forwarder "siem"\): .*caFile\.pem is not a PEM certificate/,
    );
  });

  it('names the key when the client key does not belong to the client certificate', async () => {
    const otherKey = generateKeyPairSync('ec', { namedCurve: 'P-256' })
      .privateKey.export({ format: 'pem', type: 'pkcs8' })
      .toString();
    await expect(startWith({ caFile: tls().caPem, certFile: tls().certPem, keyFile: otherKey })).rejects.toThrow(
      /^audit\.forwarders\[0\]\.tls\.keyFile \(forwarder "siem"\): .*keyFile\.pem is not the key of the certificate in .*certFile\.pem/,
    );
  });

  it('starts with a matching client certificate and key, one forwarder per destination', async () => {
    const forwarding = await startWith({ caFile: tls().caPem, certFile: tls().certPem, keyFile: tls().keyPem });
    teardown(() => forwarding.stop());
    expect(forwarding.forwarders).toHaveLength(1);
    expect(forwarding.status()[0]).toMatchObject({
      destination: 'siem',
      deliveredSeq: 0,
      journalSeq: 0,
      consecutiveFailures: 0,
    });
  });

  it('starts a RELP forwarder with the same checks and defaults', async () => {
    const forwarding = await startWith(
      { caFile: tls().caPem, certFile: tls().certPem, keyFile: tls().keyPem },
      'atna-relp',
    );
    teardown(() => forwarding.stop());
    expect(forwarding.status()[0]).toMatchObject({ destination: 'siem', deliveredSeq: 0 });
    await expect(startWith({ caFile: 'not a certificate' }, 'atna-relp')).rejects.toThrow(
      /^audit\.forwarders\[0\]\.tls\.caFile \(forwarder "siem"\): .*is not a PEM certificate/,
    );
  });
});

describe('the audit policy', () => {
  it("gives RELP librelp's port and window, and syslog-TLS a 16 MiB resend window, by default", () => {
    const { forwarders } = auditPolicySchema.parse({
      forwarders: [
        { kind: 'atna-relp', id: 'arr', host: 'arr.example', enterpriseNumber: 64_000 },
        { kind: 'atna-syslog', id: 'siem', host: 'siem.example', enterpriseNumber: 64_000 },
      ],
    });
    expect(forwarders[0]).toMatchObject({ port: 20514, window: 128, ackTimeoutMs: 30_000, batchSize: 1_000 });
    expect(forwarders[1]).toMatchObject({
      port: 6514,
      settleMs: 1_000,
      resendWindowBytes: 16 * 1024 * 1024,
      batchSize: 200,
    });
  });

  it('refuses syslog-TLS options on a RELP forwarder, and the documentation PEN on both', () => {
    const relp = { kind: 'atna-relp', id: 'arr', host: 'arr.example', enterpriseNumber: 64_000 };
    expect(auditPolicySchema.safeParse({ forwarders: [{ ...relp, settleMs: 100 }] }).success).toBe(false);
    expect(auditPolicySchema.safeParse({ forwarders: [{ ...relp, window: 0 }] }).success).toBe(false);
    const pen = auditPolicySchema.safeParse({ forwarders: [{ ...relp, enterpriseNumber: 32473 }] });
    expect(pen.error?.issues[0]?.message).toMatch(/IANA's example number/);
  });
});
