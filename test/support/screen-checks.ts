import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';

/** WCAG 2.2 level A and AA, and the 2.0/2.1 rules they include. */
const WCAG_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** The smallest target a gloved hand hits reliably (and WCAG 2.5.5's enhanced size): 44 x 44 CSS px. */
export const MIN_TARGET_PX = 44;

/** Every WCAG 2.2 AA violation axe finds on the page as it is now, one line each (rule, impact, elements). */
export async function axeViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(WCAG_AA).analyze();
  return results.violations.map(
    (v) => `${v.id} (${v.impact ?? 'n/a'}): ${v.help} -- ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
}

/** Visible buttons, fields and links smaller than 44 x 44 CSS px, as "text: width x height". */
export async function smallTargets(page: Page): Promise<string[]> {
  return page.evaluate((min) => {
    const controls = document.querySelectorAll<HTMLElement>(
      'button, input:not([type="hidden"]), textarea, select, a[href], [role="button"]',
    );
    return Array.from(controls)
      .filter((el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden')
      .map((el) => ({ el, box: el.getBoundingClientRect() }))
      .filter(({ box }) => box.width < min || box.height < min)
      .map(
        ({ el, box }) =>
          `${el.tagName.toLowerCase()} "${(el.textContent || el.getAttribute('aria-label') || el.id).trim()}": ` +
          `${Math.round(box.width)} x ${Math.round(box.height)}`,
      );
  }, MIN_TARGET_PX);
}

/** How far the page overflows its window, in CSS px (0 and 0 when it fits without scrolling). */
export async function overflow(page: Page): Promise<{ x: number; y: number }> {
  return page.evaluate(() => {
    const root = document.documentElement;
    return { x: root.scrollWidth - window.innerWidth, y: root.scrollHeight - window.innerHeight };
  });
}

/** Which of these pairs of on-screen elements (by test id) overlap: a banner drawn over the header, for one. */
export async function overlaps(page: Page, pairs: readonly (readonly [string, string])[]): Promise<string[]> {
  return page.evaluate((all) => {
    // A dialog is meant to be over the page: only what is drawn in the page itself must stay apart.
    const box = (id: string) =>
      Array.from(document.querySelectorAll(`[data-testid="${id}"]`))
        .find((el) => !el.closest('[role="dialog"], [role="alertdialog"]'))
        ?.getBoundingClientRect();
    return all
      .filter(([one, other]) => {
        const a = box(one);
        const b = box(other);
        return a && b && a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
      })
      .map(([one, other]) => `${one} overlaps ${other}`);
  }, pairs);
}
