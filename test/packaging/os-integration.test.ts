import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parse } from 'plist';
import { describe, expect, it } from 'vitest';
import {
  LINUX_BINARY,
  MAC_BINARY,
  OS_INTEGRATION_FILES,
  osIntegrationFiles,
} from '../../tools/packaging/os-integration.js';

const require = createRequire(import.meta.url);
/** The parts of electron-builder's resolved configuration these tests read. */
interface BuilderConfig {
  appId: string;
  productName: string;
  directories: { buildResources: string };
  linux: { executableName: string };
  deb: { fpm: string[] };
  rpm: { fpm: string[] };
  mac: { extraResources: { from: string; to: string }[] };
  pkg: { installLocation: string; scripts: string };
}
const { getConfig } = require('app-builder-lib/out/util/config/config') as {
  getConfig(projectDir: string, configPath: string | null, fromOptions: null): Promise<BuilderConfig>;
};
const root = path.resolve(import.meta.dirname, '../..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

/** A .desktop file's [Desktop Entry] keys, refusing anything the XDG Desktop Entry format does not allow. */
function parseDesktopEntry(text: string): Record<string, string> {
  const entry: Record<string, string> = {};
  let group: string | undefined;
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const header = /^\[([^\]]+)\]$/.exec(line);
    if (header) {
      group = header[1];
      continue;
    }
    const pair = /^([A-Za-z0-9-]+)=(.*)$/.exec(line);
    if (!pair || group === undefined) throw new Error(`not a desktop entry line: ${line}`);
    if (group === 'Desktop Entry') entry[pair[1]!] = pair[2]!;
  }
  return entry;
}

describe('the autostart and kiosk files the installers add', () => {
  it('are what tools/packaging/os-integration.ts generates (rerun tools/packaging/write-os-integration.ts)', () => {
    for (const [file, content] of Object.entries(osIntegrationFiles())) expect(read(file), file).toBe(content);
  });

  it('name the binary the deb and rpm install: /opt/<productName>/<linux.executableName>', async () => {
    const config = await getConfig(root, 'electron-builder.yml', null);
    expect(LINUX_BINARY).toBe(`/opt/${config.productName}/${config.linux.executableName}`);
    const autostart = parseDesktopEntry(read(OS_INTEGRATION_FILES.autostart.source));
    expect(autostart).toMatchObject({ Type: 'Application', Exec: LINUX_BINARY, Terminal: 'false' });
    const session = parseDesktopEntry(read(OS_INTEGRATION_FILES.kioskSession.source));
    expect(session).toMatchObject({ Type: 'Application', Exec: LINUX_BINARY, TryExec: LINUX_BINARY });
  });

  it('are installed where each desktop looks for them, by both Linux packages', async () => {
    const config = await getConfig(root, 'electron-builder.yml', null);
    for (const target of ['deb', 'rpm'] as const) {
      expect(config[target].fpm).toEqual([
        `${OS_INTEGRATION_FILES.autostart.source}=${OS_INTEGRATION_FILES.autostart.installed}`,
        `${OS_INTEGRATION_FILES.kioskSession.source}=${OS_INTEGRATION_FILES.kioskSession.installed}`,
      ]);
    }
  });

  it('the macOS LaunchAgent parses, starts the installed app at login and is installed by the pkg', async () => {
    const config = await getConfig(root, 'electron-builder.yml', null);
    const agent = parse(read(OS_INTEGRATION_FILES.launchAgent.source)) as Record<string, unknown>;
    expect(MAC_BINARY).toBe(
      `${config.pkg.installLocation}/${config.productName}.app/Contents/MacOS/${config.productName}`,
    );
    expect(agent).toMatchObject({
      Label: config.appId,
      ProgramArguments: [MAC_BINARY],
      RunAtLoad: true,
      LimitLoadToSessionType: ['Aqua'],
    });
    // The app carries the plist; the pkg's postinstall copies it into /Library/LaunchAgents.
    const agentName = path.basename(OS_INTEGRATION_FILES.launchAgent.installed);
    expect(config.mac.extraResources).toEqual([{ from: OS_INTEGRATION_FILES.launchAgent.source, to: agentName }]);
    const postinstall = path.join(config.directories.buildResources, config.pkg.scripts, 'postinstall');
    expect(statSync(path.join(root, postinstall)).mode & 0o111).not.toBe(0);
    expect(read(postinstall)).toContain(`/Library/LaunchAgents/$AGENT`);
    expect(read(postinstall)).toContain(`AGENT=${agentName}`);
  });
});
