import path from 'node:path';
import { systemClock } from '../../../../../common/clock.js';
import { systemRandom } from '../../../../../common/random.js';
import { AuditForwarder } from '../../../../../main/audit/forwarding/audit-forwarder.js';
import type { AuditTransport } from '../../../../../main/audit/forwarding/audit-transport.js';
import { CursorStore } from '../../../../../main/audit/forwarding/cursor-store.js';
import { readEvents } from '../../../../../main/audit/journal/journal-reader.js';
import { journalFixture, sampleEvent } from '../../support/journal-fixture.js';
import type { CollectorInput } from './rsyslog.js';
import { collectorPki, Rsyslog } from './rsyslog.js';

/**
 * A journal and a running rsyslog for one test, both undone by `teardown`. The forwarders it makes run on the
 * real clock (rsyslog is a real daemon) with short retries, and never report a stall (the tests count failures).
 */
export async function rsyslogFixture(input: CollectorInput, teardown: (step: () => Promise<unknown>) => void) {
  const pki = collectorPki();
  const f = await journalFixture();
  teardown(f.cleanup);
  const journal = await f.open();
  teardown(() => journal.close());
  const rsyslog = await Rsyslog.create(input, pki);
  teardown(() => rsyslog.dispose());
  await rsyslog.start();
  let appended = 0;
  return {
    pki,
    journal,
    rsyslog,
    async forwarder(transport: AuditTransport, batchSize: number): Promise<AuditForwarder> {
      const forwarder = new AuditForwarder({
        destination: 'arr',
        journal,
        transport,
        cursors: new CursorStore(path.join(f.root, 'audit-forwarding')),
        clock: systemClock,
        random: systemRandom,
        retry: { initialMs: 100, maxMs: 400 },
        batchSize,
        audit: journal,
        workstation: 'COW-3F-12',
        log: { warn: () => undefined },
        stallAfterFailures: 1_000,
      });
      await forwarder.start();
      teardown(() => forwarder.stop());
      return forwarder;
    },
    /** Appends `count` events at once, as many sessions would. */
    async append(count: number): Promise<void> {
      await Promise.all(Array.from({ length: count }, () => journal.append(sampleEvent('session.unlock', appended++))));
    },
    /** What the forwarder sends: every event, and each checkpoint as an audit.checkpoint event in its place. */
    async journalEvents() {
      return (await readEvents(journal.directory, undefined, { maxEvents: 100_000, checkpoints: true })).events;
    },
  };
}
