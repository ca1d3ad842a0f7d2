/**
 * RF IDeas pcProx raw-mode protocol, from micolous/pcprox protocol.md (an open description, not RF IDeas'
 * SDK): 8-byte feature reports on report id 0; a command is written with a feature report and its answer
 * read back with a feature report. 0x8f = card buffer 0 (card bits, little-endian, after the reader strips
 * iLeadParityBitCnt/iTrailParityBitCnt bits), 0x8e = buffer 1 (byte 0: number of bits in buffer 0),
 * 0x80 = configuration page 0 (byte 2: low nibble lead parity bits stripped, high nibble trailing).
 * An all-zero answer means "no data" (no card in the field).
 */
import { decodeWiegand, type WiegandDecodeResult } from '../formats/wiegand.js';

export const PCPROX_VENDOR_ID = 0x0c27;
export const PCPROX_PRODUCT_ID = 0x3bfa;

export const PCPROX_CMD_CONFIG_PAGE0 = 0x80;
export const PCPROX_CMD_CARD_BITS = 0x8e;
export const PCPROX_CMD_CARD_DATA = 0x8f;

export const PCPROX_REPORT_BYTES = 8;
/** pcprox.py waits this long after writing a command before reading its answer. */
export const PCPROX_COMMAND_SETTLE_MS = 1;

/** The feature report that sends `command`: report id 0 then the 8 command bytes (node-hid convention). */
export function pcproxCommand(command: number): Buffer {
  const report = Buffer.alloc(1 + PCPROX_REPORT_BYTES);
  report[1] = command;
  return report;
}

/**
 * hidapi returns the report id in byte 0 on every platform, so a 9-byte answer is stripped to its 8 data
 * bytes; an 8-byte answer (backends that drop the id) is used as is. Anything else is not a pcProx reply.
 */
export function pcproxPayload(answer: Buffer): Buffer | undefined {
  if (answer.length === PCPROX_REPORT_BYTES + 1 && answer[0] === 0) return answer.subarray(1);
  if (answer.length === PCPROX_REPORT_BYTES) return answer;
  return undefined;
}

export function isEmptyReport(payload: Buffer): boolean {
  return payload.every((b) => b === 0);
}

/** Parity bits the reader strips before filling buffer 0 (configuration page 0, byte 2). */
export function strippedParityBits(page0: Buffer): { lead: number; trail: number } {
  const b = page0[2] ?? 0;
  return { lead: b & 0x0f, trail: b >> 4 };
}

/**
 * Decodes buffer 0 + buffer 1 into a card. The reader must be configured not to strip parity bits
 * (protocol.md: "Parity bits are never checked" by the reader), so buffer 0 is the whole Wiegand frame as a
 * little-endian integer and CareShell checks parity itself. Only the first ceil(bits / 8) bytes carry the
 * card (pcprox.py get_tag cuts the buffer there): whatever the reader leaves in the others is ignored.
 */
export function decodePcProxCard(buffer0: Buffer, buffer1: Buffer): WiegandDecodeResult {
  const bitLength = buffer1[0] ?? 0;
  if (bitLength === 0 || bitLength > PCPROX_REPORT_BYTES * 8) {
    return { ok: false, reason: `the reader reported an impossible card length of ${bitLength} bits` };
  }
  let frame = 0;
  // Little-endian: byte i carries bits 8i..8i+7.
  for (let i = Math.min(buffer0.length, Math.ceil(bitLength / 8)) - 1; i >= 0; i--) {
    frame = frame * 256 + (buffer0[i] ?? 0);
  }
  if (!Number.isSafeInteger(frame)) {
    return { ok: false, reason: `the reader returned more data than a ${bitLength}-bit card holds` };
  }
  return decodeWiegand(frame, bitLength);
}
