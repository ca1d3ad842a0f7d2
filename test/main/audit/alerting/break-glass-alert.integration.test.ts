import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { systemRandom } from '../../../../common/random.js';
import { alertMessageId } from '../../../../main/audit/alerting/break-glass-alert-mail.js';
import { auditPolicySchema } from '../../../../main/audit/forwarding/audit-policy.js';
import { startForwarders } from '../../../../main/audit/forwarding/start-forwarders.js';
import { readEvents } from '../../../../main/audit/journal/journal-reader.js';
import { startLocalMailbox } from '../../../../tools/mailbox/local-mailbox.js';
import { breakGlassStart, breakGlassStop } from '../../../support/break-glass-events.js';
import { journalFixture, sampleEvent } from '../support/journal-fixture.js';
import { useTeardown, useTestTls } from '../support/lifecycle.js';
import { until } from '../support/poll.js';

const tls = useTestTls();
const teardown = useTeardown();

async function setup() {
  const f = await journalFixture();
  teardown(f.cleanup);
  const mailbox = await startLocalMailbox({ tls: { certPem: tls().certPem, keyPem: tls().keyPem } });
  teardown(() => mailbox.stop());
  const caFile = path.join(f.root, 'relay-ca.pem');
  await writeFile(caFile, tls().caPem);
  const policy = auditPolicySchema.parse({
    forwarders: [
      {
        kind: 'email',
        id: 'privacy-alerts',
        smtp: { host: '127.0.0.1', port: mailbox.port, security: 'starttls' },
        tls: { caFile },
        from: 'careshell@hospital.test',
        to: ['privacy.office@hospital.test', 'security@hospital.test'],
        timeoutMs: 2_000,
        retry: { initialMs: 200, maxMs: 2_000 },
      },
    ],
  });
  const startTrail = async () => {
    const journal = await f.open();
    const forwarding = await startForwarders({
      journal,
      destinations: policy.forwarders,
      cursorDirectory: path.join(f.root, 'audit-forwarding'),
      clock: f.clock,
      random: systemRandom,
      workstation: 'COW-3F-12',
      log: { warn: () => {} },
    });
    const stop = async () => {
      await forwarding.stop();
      await journal.close();
    };
    return { journal, forwarding, stop };
  };
  return { f, mailbox, startTrail };
}

describe('break-glass alert mail (SMTP, store and forward)', () => {
  it('mails each granted start once, naming who, where, the patient, the reason, the time box and how to review', async () => {
    const { f, mailbox, startTrail } = await setup();
    const trail = await startTrail();
    teardown(trail.stop);
    const episode = { grantId: 'bg-1', patient: 'Patient/p-1005' };
    await trail.journal.append(sampleEvent('session.unlock', 1));
    await trail.journal.append(breakGlassStart(episode));
    await trail.journal.append({ ...breakGlassStart({ grantId: 'bg-refused' }), outcome: 'failure' });
    await trail.journal.append(breakGlassStop(episode, '2026-12-06T01:20:00.000Z'));
    await until(() => trail.forwarding.status()[0]!.deliveredSeq >= 4, f.clock, 'the batch to be delivered');
    expect(mailbox.mails).toHaveLength(1);
    const [mail] = mailbox.mails;
    const stored = (await readEvents(f.directory, undefined, { maxEvents: 10 })).events[1]!;
    expect(mail!.messageId).toBe(alertMessageId(stored.id));
    expect(mail!.to).toEqual(['privacy.office@hospital.test', 'security@hospital.test']);
    expect(mail!.subject).toBe('Break-glass: Ana Lopez, RN opened Patient/p-1005 at COW-3F-12');
    expect(mail!.text).toContain('Ana Lopez, RN (u-nurse-ana; nurse, clinical)');
    expect(mail!.text).toContain('workstation COW-3F-12');
    expect(mail!.text).toContain('emergency-care: Collapsed in the ED, no history available');
    expect(mail!.text).toContain('60 min, until 2026-12-06T02:00:00.000Z');
    expect(mail!.text).toContain('How to review: Review it in CareShell');
  });

  it('loses none across an SMTP outage and a restart: every start is mailed once the relay is back', async () => {
    const { f, mailbox, startTrail } = await setup();
    let trail = await startTrail();
    await trail.journal.append(breakGlassStart({ grantId: 'bg-1', patient: 'Patient/p-1001' }));
    await until(() => mailbox.mails.length === 1, f.clock, 'the first alert');

    await mailbox.stop();
    for (const n of [2, 3, 4])
      await trail.journal.append(breakGlassStart({ grantId: `bg-${n}`, patient: `Patient/p-100${n}` }));
    await until(() => trail.forwarding.status()[0]!.consecutiveFailures >= 2, f.clock, 'failed sends while down');
    // The workstation restarts while the relay is still down: the alerts wait in the journal, not in memory.
    await trail.stop();
    trail = await startTrail();
    teardown(() => trail.stop());
    await trail.journal.append(breakGlassStart({ grantId: 'bg-5', patient: 'Patient/p-1005' }));
    await until(() => trail.forwarding.status()[0]!.consecutiveFailures >= 1, f.clock, 'a failed send after restart');
    expect(mailbox.mails).toHaveLength(1);

    await mailbox.start();
    await until(() => mailbox.mails.length >= 5, f.clock, 'all five alerts');
    const grants = mailbox.mails.map((m) => /Grant:\s+(\S+)/.exec(m.text)?.[1]);
    expect(grants).toEqual(['bg-1', 'bg-2', 'bg-3', 'bg-4', 'bg-5']);
    expect(new Set(mailbox.mails.map((m) => m.messageId)).size).toBe(5);
  });

  it('refuses plain SMTP to anything but a relay on this machine', () => {
    const parsed = auditPolicySchema.safeParse({
      forwarders: [
        {
          kind: 'email',
          id: 'alerts',
          smtp: { host: 'mail.hospital.test', security: 'plain' },
          from: 'careshell@hospital.test',
          to: ['privacy@hospital.test'],
        },
      ],
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toContain('only to a relay on 127.0.0.1');
  });
});
