import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../common/manual-clock.js';
import { careShellPolicySchema, resolveCareShellPolicy } from '../../../main/app/careshell-policy.js';
import { createCareShell } from '../../../main/app/create-careshell.js';
import { readEvents } from '../../../main/audit/journal/journal-reader.js';
import { verifyJournal } from '../../../main/audit/journal/verify-journal.js';
import { loadPublicKeys } from '../../../main/audit/keys/file-audit-key-store.js';
import { SimulatedReader } from '../../../native/simulated-reader.js';
import { SyslogCollector, type SyslogMessage } from '../audit/support/collectors.js';
import { useTeardown, useTestTls } from '../audit/support/lifecycle.js';
import { until } from '../audit/support/poll.js';
import { openSimulatedWorkstation, UNREACHED_IDENTITY } from './support/simulated-workstation.js';

const tls = useTestTls();
const teardown = useTeardown();

const NURSE = { userId: 'nurse-1', displayName: 'Ana Example, RN', username: 'ana', roles: ['nurse'] };
const BADGE = 'H10301:100:1001';

/** A workstation as the shell opens it, from a machine policy whose audit section names `forwarders`. */
async function workstationWith(forwarders: unknown[]) {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'careshell-ws-'));
  teardown(() => rm(dataDir, { recursive: true, force: true }));
  const reader = new SimulatedReader('test-reader');
  const clock = new ManualClock();
  const file = careShellPolicySchema.parse({
    version: 1,
    readers: { readers: [{ driver: 'simulated', id: reader.id }] },
    identity: UNREACHED_IDENTITY,
    audit: { forwarders },
  });
  const resolved = resolveCareShellPolicy(file);
  if (!resolved.ok) throw new Error(JSON.stringify(resolved.problems));
  const open = () => openSimulatedWorkstation({ policy: resolved.policy, dataDir, reader, clock });
  return { dataDir, reader, clock, open };
}

describe('a workstation forwards its audit trail as the machine policy says', () => {
  it('sends a badge tap that signs a nurse in to the ATNA collector as an RFC 5425 frame', async () => {
    const collector = new SyslogCollector(tls());
    await collector.start();
    teardown(() => collector.stop());
    const caFile = path.join(tmpdir(), `careshell-ws-ca-${process.pid}.pem`);
    await writeFile(caFile, tls().caPem);
    teardown(() => rm(caFile, { force: true }));
    const { reader, clock, open } = await workstationWith([
      {
        kind: 'atna-syslog',
        id: 'siem',
        host: '127.0.0.1',
        port: collector.port,
        enterpriseNumber: 64_000,
        tls: { caFile },
        settleMs: 100,
      },
    ]);
    const workstation = await open();
    teardown(() => workstation.close());
    await workstation.identity.directory.bind(workstation.hashBadge(BADGE), NURSE);
    const careshell = createCareShell(workstation.env);
    await careshell.start();
    teardown(() => careshell.stop());

    reader.tap(BADGE);
    const isSignIn = (m: SyslogMessage) => m.xml.includes('<EventTypeCode csd-code="session.sign_in"');
    await until(() => collector.messages.some(isSignIn), clock, 'the sign-in at the collector');
    const signIn = collector.messages.find(isSignIn)!;
    expect(signIn).toMatchObject({ msgId: 'IHE+RFC-3881', appName: 'careshell', hostname: 'COW-3F-12', hadBom: true });
    // DICOM PS3.15 User Authentication / Login, success, naming the nurse.
    expect(signIn.xml).toContain('<EventID csd-code="110114"');
    expect(signIn.xml).toContain('<EventTypeCode csd-code="110122"');
    expect(signIn.xml).toContain('EventOutcomeIndicator="0"');
    expect(signIn.xml).toContain('<ActiveParticipant UserID="nurse-1"');
    // The same stable id and seq as the journal record: what a collector de-duplicates on.
    const stored = (await readEvents(workstation.journal.directory, undefined, { maxEvents: 100 })).events.find(
      (e) => e.event.type === 'session.sign_in',
    )!;
    expect({ eventId: signIn.eventId, seq: signIn.seq }).toEqual({ eventId: stored.id, seq: stored.seq });
    expect(collector.errors).toEqual([]);
    expect(workstation.forwarding.status()[0]).toMatchObject({ destination: 'siem', consecutiveFailures: 0 });
  });

  it('refuses to open with a forwarder whose CA file is missing, naming the policy key', async () => {
    const { dataDir, open } = await workstationWith([
      {
        kind: 'atna-syslog',
        id: 'siem',
        host: 'arr.example.org',
        enterpriseNumber: 64_000,
        tls: { caFile: '/nonexistent/arr-ca.pem' },
      },
    ]);
    await expect(open()).rejects.toThrow(
      /^audit\.forwarders\[0\]\.tls\.caFile \(forwarder "siem"\): cannot read \/nonexistent\/arr-ca\.pem \(ENOENT.*\); set it to the PEM file of the CA/,
    );
    // The journal it had opened was closed again: a corrected policy opens the same data folder.
    const keys = await loadPublicKeys(path.join(dataDir, 'audit-keys'));
    expect((await verifyJournal(path.join(dataDir, 'audit'), keys)).ok).toBe(true);
  });
});
