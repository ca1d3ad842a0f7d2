import { describe, expect, it } from 'vitest';
import { workstationPolicySource } from '../../../main/workstation/workstation-policy-source.js';

describe('workstationPolicySource', () => {
  const at = (packaged: boolean, env: Record<string, string>, platform: NodeJS.Platform = 'linux') =>
    workstationPolicySource({ platform, packaged, env }).location;

  it('ignores CARESHELL_POLICY in a packaged build: a kiosk reads only /etc/careshell/policy.json', () => {
    const env = { CARESHELL_POLICY: '/home/someone/policy.json' };
    expect(at(true, env)).toBe('/etc/careshell/policy.json');
    expect(at(false, env)).toBe('/home/someone/policy.json');
    expect(at(false, {})).toBe('/etc/careshell/policy.json');
  });

  it('reads where each OS keeps machine policy', () => {
    const env = { CARESHELL_POLICY: '/home/someone/policy.json' };
    expect(at(true, env, 'win32')).toBe('HKLM\\SOFTWARE\\Policies\\CareShell');
    expect(at(true, env, 'darwin')).toBe('/Library/Managed Preferences/org.careshell.workstation.plist');
    expect(at(false, env, 'win32')).toBe('/home/someone/policy.json');
  });
});
