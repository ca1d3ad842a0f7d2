import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { systemRandom } from '../../../../common/random.js';
import { breakGlassAlertMail } from '../../../../main/audit/alerting/break-glass-alert-mail.js';
import { auditPolicySchema } from '../../../../main/audit/forwarding/audit-policy.js';
import { startForwarders } from '../../../../main/audit/forwarding/start-forwarders.js';
import type { StoredAuditEvent } from '../../../../main/audit/journal/journal-reader.js';
import { breakGlassStart } from '../../../support/break-glass-events.js';
import { journalFixture } from '../support/journal-fixture.js';
import { useTeardown } from '../support/lifecycle.js';

const teardown = useTeardown();
const email = { kind: 'email', id: 'alerts', from: 'careshell@h.test', to: ['po@h.test'] };

describe('the email alert destination in policy', () => {
  it('defaults to STARTTLS on port 587 and needs at least one recipient', () => {
    const parsed = auditPolicySchema.parse({ forwarders: [{ ...email, smtp: { host: 'smtp.h.test' } }] });
    expect(parsed.forwarders[0]).toMatchObject({ smtp: { port: 587, security: 'starttls' } });
    const none = auditPolicySchema.safeParse({ forwarders: [{ ...email, to: [], smtp: { host: 'smtp.h.test' } }] });
    expect(none.error?.issues[0]?.message).toBe('name at least one recipient (the privacy office)');
  });

  it('does not start with an SMTP password file it cannot read, naming the key', async () => {
    const f = await journalFixture();
    teardown(f.cleanup);
    const journal = await f.open();
    teardown(() => journal.close());
    const policy = auditPolicySchema.parse({
      forwarders: [
        { ...email, smtp: { host: 'smtp.h.test', auth: { user: 'alerts', passwordFile: '/nonexistent/smtp-pass' } } },
      ],
    });
    await expect(
      startForwarders({
        journal,
        destinations: policy.forwarders,
        cursorDirectory: path.join(f.root, 'audit-forwarding'),
        clock: f.clock,
        random: systemRandom,
        workstation: 'COW-3F-12',
        log: { warn: () => {} },
      }),
    ).rejects.toThrow(
      'audit.forwarders[0].smtp.auth.passwordFile (forwarder "alerts"): cannot read /nonexistent/smtp-pass',
    );
  });
});

describe('breakGlassAlertMail', () => {
  const stored = (event: StoredAuditEvent['event']): StoredAuditEvent => ({
    id: 'a1b2',
    seq: 5,
    event,
    segment: 'seg-0000000000000001.jsonl',
    offset: 0,
    next: { segment: 'seg-0000000000000001.jsonl', offset: 10, seq: 5 },
  });

  it('still alerts, saying so, when the details cannot be read', () => {
    const mail = breakGlassAlertMail(
      stored({ ...breakGlassStart({ grantId: 'bg-1' }), details: { grantId: 'bg-1' } }),
      'Review it.',
    );
    expect(mail.messageId).toBe('<breakglass-a1b2@careshell.alert>');
    expect(mail.subject).toBe('Break-glass: Ana Lopez, RN opened a restricted chart at COW-3F-12');
    expect(mail.text).toContain('could not be read');
    expect(mail.text).toContain('a1b2 (seq 5)');
  });

  it('names an all-restricted grant and a co-signer', () => {
    const event = breakGlassStart({ grantId: 'bg-2' });
    const mail = breakGlassAlertMail(
      stored({ ...event, details: { ...event.details, cosignedBy: 'u-er-ben' } }),
      'Review it.',
    );
    expect(mail.subject).toContain('opened all restricted charts');
    expect(mail.text).toMatch(/Co-signed by:\s*u-er-ben/);
  });
});
