import type { WedgeKeyInput } from './wedge-burst-detector.js';

/**
 * Turns HID boot-keyboard input reports (byte 0 modifiers, byte 1 reserved, bytes 2-7 pressed key usages;
 * HID Device Class Definition 1.11 appendix B, usages from the HID Usage Tables keyboard page 0x07) into
 * the same key events Electron gives, so a wedge reader read through Linux hidraw feeds the same burst
 * detector. US layout, which is what wedge readers assume when they type.
 */

const MOD_LEFT_CTRL = 0x01;
const MOD_LEFT_SHIFT = 0x02;
const MOD_LEFT_ALT = 0x04;
const MOD_LEFT_GUI = 0x08;
const MOD_RIGHT_CTRL = 0x10;
const MOD_RIGHT_SHIFT = 0x20;
const MOD_RIGHT_ALT = 0x40;
const MOD_RIGHT_GUI = 0x80;

/** Usage 0x01 in every slot: more keys than the report can carry; the report says nothing else. */
const ERROR_ROLL_OVER = 0x01;

interface KeyName {
  code: string;
  key: string;
  shifted?: string;
}

const USAGES = new Map<number, KeyName>();
for (let i = 0; i < 26; i++) {
  const letter = String.fromCharCode(97 + i);
  USAGES.set(0x04 + i, { code: `Key${letter.toUpperCase()}`, key: letter, shifted: letter.toUpperCase() });
}
const SHIFTED_DIGITS = '!@#$%^&*()';
for (let i = 0; i < 10; i++) {
  const digit = String((i + 1) % 10);
  USAGES.set(0x1e + i, { code: `Digit${digit}`, key: digit, shifted: SHIFTED_DIGITS[i]! });
  USAGES.set(0x59 + i, { code: `Numpad${digit}`, key: digit });
}
for (const [usage, code, key, shifted] of [
  [0x28, 'Enter', 'Enter', undefined],
  [0x2b, 'Tab', 'Tab', undefined],
  [0x2c, 'Space', ' ', undefined],
  [0x2d, 'Minus', '-', '_'],
  [0x2e, 'Equal', '=', '+'],
  [0x33, 'Semicolon', ';', ':'],
  [0x36, 'Comma', ',', '<'],
  [0x37, 'Period', '.', '>'],
  [0x38, 'Slash', '/', '?'],
  [0x58, 'NumpadEnter', 'Enter', undefined],
] as const) {
  USAGES.set(usage, shifted === undefined ? { code, key } : { code, key, shifted });
}

export const BOOT_KEYBOARD_REPORT_BYTES = 8;

export class BootKeyboardDecoder {
  private pressed = new Set<number>();

  /** @param reportId the report id byte in front of each report, for keyboards with numbered reports. */
  constructor(private readonly reportId: number | null = null) {}

  /** Key events for one report, in press order. Malformed reports yield nothing and keep the state. */
  decode(report: Uint8Array): WedgeKeyInput[] {
    const start = this.reportId === null ? 0 : 1;
    if (this.reportId !== null && report[0] !== this.reportId) return [];
    if (report.length < start + BOOT_KEYBOARD_REPORT_BYTES) return [];
    const modifiers = report[start] ?? 0;
    const slots = Array.from(report.subarray(start + 2, start + BOOT_KEYBOARD_REPORT_BYTES));
    if (slots.every((u) => u === ERROR_ROLL_OVER)) return [];
    const now = new Set(slots.filter((u) => u !== 0));
    const flags = {
      shift: (modifiers & (MOD_LEFT_SHIFT | MOD_RIGHT_SHIFT)) !== 0,
      control: (modifiers & (MOD_LEFT_CTRL | MOD_RIGHT_CTRL)) !== 0,
      alt: (modifiers & (MOD_LEFT_ALT | MOD_RIGHT_ALT)) !== 0,
      meta: (modifiers & (MOD_LEFT_GUI | MOD_RIGHT_GUI)) !== 0,
    };
    const events: WedgeKeyInput[] = [];
    for (const usage of this.pressed) {
      if (!now.has(usage)) events.push(this.event('keyUp', usage, flags));
    }
    for (const usage of now) {
      if (!this.pressed.has(usage)) events.push(this.event('keyDown', usage, flags));
    }
    this.pressed = now;
    return events;
  }

  private event(
    type: 'keyDown' | 'keyUp',
    usage: number,
    flags: Omit<WedgeKeyInput, 'type' | 'key' | 'code'>,
  ): WedgeKeyInput {
    const name = USAGES.get(usage);
    // Keys a wedge reader never types still count as keys: they break a burst pattern.
    if (!name) return { type, key: 'Unidentified', code: `Usage0x${usage.toString(16)}`, ...flags };
    const key = flags.shift && name.shifted !== undefined ? name.shifted : name.key;
    return { type, key, code: name.code, ...flags };
  }
}
