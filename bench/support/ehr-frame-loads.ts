/// <reference lib="dom" />
import type { Page } from 'playwright-core';

/** Records, in the page, the epoch time each EHR frame load has painted (the frame is cross-origin: only its load). */
export async function recordFrameLoads(page: Page): Promise<void> {
  await page.evaluate(() => {
    const loads: number[] = [];
    (window as unknown as { ehrLoads: number[] }).ehrLoads = loads;
    document.addEventListener(
      'load',
      (event) => {
        if ((event.target as Element).tagName !== 'IFRAME') return;
        requestAnimationFrame(() => loads.push(performance.timeOrigin + performance.now()));
      },
      true,
    );
  });
}

/** The first painted frame load after `since` (epoch ms). */
export async function firstLoadAfter(page: Page, since: number): Promise<number> {
  const loads = await page.evaluate(() => (window as unknown as { ehrLoads: number[] }).ehrLoads);
  const after = loads.find((at) => at >= since);
  if (after === undefined) throw new Error('the EHR frame did not load');
  return after;
}

/** Now on the epoch clock of this machine, as the page's records are. */
export const epochNow = () => performance.timeOrigin + performance.now();
