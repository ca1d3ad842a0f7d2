import type { BadgeReaderEvent } from '../native/badge-reader.js';
import { decodeHidReport, hidReportLayoutSchema } from '../native/drivers/hid-report-layout.js';
import { PcProxReader } from '../native/drivers/pcprox-reader.js';
import { decodePcProxCard } from '../native/drivers/pcprox-protocol.js';
import { encodeWiegand, type WiegandFormat } from '../native/formats/wiegand.js';
import { parseReaderConfig } from '../native/manager/reader-config.js';
import { ReaderManager } from '../native/manager/reader-manager.js';
import { parseGetUidResponse } from '../native/pcsc/pcsc-uid.js';
import { BootKeyboardDecoder } from '../native/wedge/boot-keyboard-decoder.js';
import { KeyboardWedgeReader } from '../native/wedge/keyboard-wedge-reader.js';
import { wedgeCaptureSchema } from '../native/wedge/wedge-capture-config.js';
import { FakeClock } from '../test/native/support/fake-clock.js';
import { FakeHidBackend, FakeHidDevice, FakePcProx } from '../test/native/support/fake-hid.js';
import { percentile, reportBench, round } from './support/bench-report.js';

/**
 * npm run bench:readers — reports decoded per second per driver (pure decode of pre-built valid reports),
 * and report-to-tap latency p99 through the real driver objects and the reader manager (debounce
 * included) over fake node-hid devices: from the report being available to the manager's 'tap' event.
 */
const DECODE_MS = 600;
const LATENCY_RUNS = 2_000;

const FORMATS: WiegandFormat[] = ['H10301', 'C1000-35', 'H10304'];
const BITS: Record<WiegandFormat, number> = { H10301: 26, 'C1000-35': 35, H10304: 37 };

function card(i: number) {
  const format = FORMATS[i % 3]!;
  return { format, facility: (i * 7) % 256, number: (i * 7919) % 65536 };
}

/** Runs `decode` over the inputs round-robin for DECODE_MS and returns decodes per second. */
function throughput<T>(inputs: T[], decode: (input: T) => boolean): number {
  let ok = 0;
  for (const input of inputs) if (decode(input)) ok++; // warm-up, and a correctness check
  if (ok !== inputs.length) throw new Error(`bench input did not decode (${ok}/${inputs.length})`);
  let n = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < DECODE_MS) {
    for (let i = 0; i < 1000; i++) decode(inputs[(n + i) % inputs.length]!);
    n += 1000;
    elapsed = performance.now() - start;
  }
  return Math.round((n / elapsed) * 1000);
}


// --- decode throughput -------------------------------------------------------------------------------
const pcproxInputs = Array.from({ length: 256 }, (_, i) => {
  const c = card(i);
  const frame = encodeWiegand(c);
  const buffer0 = Buffer.alloc(8);
  buffer0.writeUIntLE(frame % 2 ** 48, 0, 6);
  return { buffer0, buffer1: Buffer.from([BITS[c.format], BITS[c.format], 0, 0, 0, 0, 0, 0]) };
});
const hidLayout = hidReportLayoutSchema.parse({ reportId: 1, offset: 2, length: 5, content: { kind: 'wiegand', bitLengthOffset: 1 } });
const hidInputs = Array.from({ length: 256 }, (_, i) => {
  const c = card(i);
  const report = Buffer.alloc(8);
  report[0] = 1;
  report[1] = BITS[c.format];
  report.writeUIntBE(encodeWiegand(c), 2, 5);
  return report;
});
const uidInputs = Array.from({ length: 256 }, (_, i) => Buffer.from([0x04, i, 0xb2, 0xc3, 0xd4, 0xe5, 0xf6, 0x90, 0x00]));
const bootInputs = ['00 00 1e 00 00 00 00 00', '00 00 00 00 00 00 00 00'].map((h) => Buffer.from(h.replace(/ /g, ''), 'hex'));

const decodesPerSecond = {
  pcprox: throughput(pcproxInputs, (x) => decodePcProxCard(x.buffer0, x.buffer1).ok),
  hidData: throughput(hidInputs, (x) => decodeHidReport(hidLayout, x).kind === 'card'),
  pcsc: throughput(uidInputs, (x) => parseGetUidResponse(x).ok),
  bootKeyboard: (() => {
    const decoder = new BootKeyboardDecoder();
    return throughput(bootInputs, (x) => decoder.decode(x).length === 1);
  })(),
  /** Whole badge bursts (8 digits + Enter, 18 key events) recognised by the wedge capture per second. */
  wedgeBursts: (() => {
    const clock = new FakeClock();
    const capture = wedgeCaptureSchema.parse({ id: { kind: 'wiegand-fields', format: 'H10301', facilityDigits: 3 } });
    const reader = new KeyboardWedgeReader({ id: 'w', description: 'w', capture, clock });
    let taps = 0;
    reader.onEvent((e) => e.kind === 'tap' && taps++);
    void reader.start();
    const filter = reader.openFilter({ pending: () => false }, () => undefined);
    const keys = [...'01203456'].map((k) => ({ key: k, code: `Digit${k}` })).concat([{ key: 'Enter', code: 'Enter' }]);
    return throughput([0], () => {
      const before = taps;
      for (const k of keys) {
        filter.handle({ type: 'keyDown', ...k });
        filter.handle({ type: 'keyUp', ...k });
        clock.advanceSync(8);
      }
      clock.advanceSync(2000); // past the debounce-free gap: the next burst starts fresh
      return taps === before + 1;
    });
  })(),
};

// --- report-to-tap latency through drivers and the manager ------------------------------------------
async function hidDataLatency(): Promise<number[]> {
  const clock = new FakeClock();
  const backend = new FakeHidBackend();
  backend.plug('/dev/hidraw1', { vendorId: 1, productId: 2 }, () => new FakeHidDevice());
  const config = parseReaderConfig({
    readers: [{ driver: 'hid-data', id: 'h', vendorId: 1, productId: 2, layout: { reportId: 1, offset: 2, length: 5, content: { kind: 'wiegand', bitLengthOffset: 1 } } }],
    debounceMs: 0,
  });
  const manager = new ReaderManager({ config, clock, hidBackend: backend });
  let tappedAt = 0;
  manager.onEvent((e: BadgeReaderEvent) => {
    if (e.kind === 'tap') tappedAt = performance.now();
  });
  await manager.start();
  const device = backend.lastDevice!;
  const samples: number[] = [];
  for (let i = 0; i < LATENCY_RUNS; i++) {
    const report = hidInputs[i % hidInputs.length]!;
    const start = performance.now();
    device.input(report);
    samples.push(tappedAt - start);
  }
  await manager.stop();
  return samples;
}

async function pcproxLatency(): Promise<number[]> {
  const clock = new FakeClock();
  const backend = new FakeHidBackend();
  const emulator = new FakePcProx('00 03 05 00 10 1a 00 28 00');
  backend.plug('/dev/hidraw2', { vendorId: 0x0c27, productId: 0x3bfa }, () => new FakeHidDevice(emulator.answer));
  const reader = new PcProxReader({
    id: 'p',
    description: 'p',
    match: { vendorId: 0x0c27, productId: 0x3bfa },
    backend,
    clock,
    pollIntervalMs: 200,
  });
  const config = parseReaderConfig({ readers: [{ driver: 'simulated', id: 'p' }], debounceMs: 0 });
  const manager = new ReaderManager({ config, clock, readerFactory: () => reader });
  let resolveTap: (() => void) | undefined;
  manager.onEvent((e) => e.kind === 'tap' && resolveTap?.());
  await manager.start();
  const samples: number[] = [];
  for (let i = 0; i < LATENCY_RUNS; i++) {
    const c = pcproxInputs[i % pcproxInputs.length]!;
    emulator.card = { buffer0: `00${c.buffer0.toString('hex')}`, buffer1: `00${c.buffer1.toString('hex')}` };
    let tapped = false;
    resolveTap = () => (tapped = true);
    // The poll timer fires (the card buffer is read now): measured from there to the tap event, with the
    // fake clock stepped through the driver's 1 ms pauses between command and answer.
    const start = performance.now();
    clock.advanceSync(200);
    while (!tapped) {
      await new Promise((r) => setImmediate(r));
      clock.advanceSync(1);
    }
    samples.push(performance.now() - start);
    emulator.card = undefined;
    for (let t = 0; t < 205; t++) {
      clock.advanceSync(1);
      await new Promise((r) => setImmediate(r)); // let the empty poll report removal
    }
  }
  await manager.stop();
  return samples;
}

function wedgeLatency(): number[] {
  const clock = new FakeClock();
  const capture = wedgeCaptureSchema.parse({ id: { kind: 'wiegand-fields', format: 'H10301', facilityDigits: 3 } });
  const reader = new KeyboardWedgeReader({ id: 'w', description: 'w', capture, clock });
  let tappedAt = 0;
  reader.onEvent((e) => {
    if (e.kind === 'tap') tappedAt = performance.now();
  });
  void reader.start();
  const filter = reader.openFilter({ pending: () => false }, () => undefined);
  const samples: number[] = [];
  for (let i = 0; i < LATENCY_RUNS; i++) {
    for (const k of '01203456') {
      filter.handle({ type: 'keyDown', key: k, code: `Digit${k}` });
      clock.advanceSync(8);
    }
    const start = performance.now();
    filter.handle({ type: 'keyDown', key: 'Enter', code: 'Enter' });
    samples.push(tappedAt - start);
    clock.advanceSync(2000);
  }
  return samples;
}

const latency = {
  hidData: await hidDataLatency(),
  pcprox: await pcproxLatency(),
  wedge: wedgeLatency(),
};
const p99 = Object.fromEntries(Object.entries(latency).map(([k, v]) => [k, round(percentile(v, 99), 4)]));

const result = {
  bench: 'readers',
  node: process.version,
  decodesPerSecond,
  reportToTapP99Ms: p99,
  reportToTapP50Ms: Object.fromEntries(Object.entries(latency).map(([k, v]) => [k, round(percentile(v, 50), 4)])),
  latencyRuns: LATENCY_RUNS,
  note: 'pcprox latency excludes the poll interval (default 200 ms) and USB transfer time; fake devices answer at once',
};
reportBench('readers', result);
