import { describe, expect, it } from 'vitest';
import type { LogindScreenLockOptions } from '../../../main/os/logind-screen-lock.js';
import { followLinuxScreenLock } from '../../../main/workstation/logind-os-events.js';
import type { HostOsEvent } from '../../../main/workstation/workstation-host.js';

describe('followLinuxScreenLock', () => {
  it("turns a lock of CareShell's logind session into a lock-screen OS event for this process", async () => {
    const events: HostOsEvent[] = [];
    const logs: string[] = [];
    let followed: LogindScreenLockOptions | undefined;
    const stop = await followLinuxScreenLock(
      { osEvent: async (event) => void events.push(event) },
      { info: (m) => void logs.push(m), warn: (m) => void logs.push(m) },
      async (options) => {
        followed = options;
        return () => {};
      },
    );
    expect(followed?.pid).toBe(process.pid);
    followed!.onLock('logind: the session was locked');
    expect(events).toEqual(['lock-screen']);
    expect(logs).toEqual(['os: logind: the session was locked']);
    expect(typeof stop).toBe('function');
  });
});
