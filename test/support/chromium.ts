import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium (installed by .ci/run); never a downloaded browser build. */
export const CHROMIUM_PATH = process.env.CARESHELL_CHROMIUM ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
];

/**
 * Why browser tests cannot run here, or undefined when they can. A developer machine without Chromium skips
 * them with this reason printed; CI (CI set, as .ci/run does after installing Chromium) never skips, so a
 * missing browser fails the suite instead of passing it unseen.
 */
export function chromiumMissingReason(): string | undefined {
  return process.env.CI || existsSync(CHROMIUM_PATH) ? undefined : missing();
}

const missing = () =>
  `no Chromium at ${CHROMIUM_PATH}: run \`apt-get install -y chromium\` (what .ci/run does) or set CARESHELL_CHROMIUM`;

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`Browser tests cannot run: ${missing()}.`);
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}
