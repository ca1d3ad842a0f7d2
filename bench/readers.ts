import type { BadgeReaderEvent } from '../native/badge-reader.js';
import { decodeHidReport, hidReportLayoutSchema } from '../native/drivers/hid-report-layout.js';
import { decodePcProxCard } from '../native/drivers/pcprox-protocol.js';
import { encodeWiegand, type WiegandFormat } from '../native/formats/wiegand.js';
import { parseReaderConfig } from '../native/manager/reader-config.js';
import { ReaderManager } from '../native/manager/reader-manager.js';
import { parseGetUidResponse } from '../native/pcsc/pcsc-uid.js';
import { BootKeyboardDecoder } from '../native/wedge/boot-keyboard-decoder.js';
import { KeyboardWedgeReader } from '../native/wedge/keyboard-wedge-reader.js';
import { wedgeCaptureSchema } from '../native/wedge/wedge-capture-config.js';
import { ManualClock } from '../common/manual-clock.js';
import { loadWedgeCorpus, runWedgeCorpus } from './support/wedge-corpus.js';
import { percentile, reportBench, round } from './support/bench-report.js';
import { FakeHidBackend, FakeHidDevice, FakePcProx } from './support/fake-hid.js';
import { FakeCardReader, fakePcscContext } from './support/fake-pcsc.js';

/**
 * npm run bench:readers — reports decoded per second per driver (pure decode of pre-built valid reports),
 * and report-to-tap latency p50/p99 through the real driver objects and the reader manager (debounce
 * included) over fake node-hid devices and a fake PC/SC binding (bench/support): from the report being
 * available to the manager's 'tap' event, checking that every run produced exactly one tap. Then the wedge
 * corpus: how many barcode scans a keyboard-wedge capture swallows or turns into taps, and how many badge
 * bursts it misses, with the default policy, a reader prefix and suffix, and digitsOnly 'badge'.
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
const hidLayout = hidReportLayoutSchema.parse({
  reportId: 1,
  offset: 2,
  length: 5,
  content: { kind: 'wiegand', bitLengthOffset: 1 },
});
const hidInputs = Array.from({ length: 256 }, (_, i) => {
  const c = card(i);
  const report = Buffer.alloc(8);
  report[0] = 1;
  report[1] = BITS[c.format];
  report.writeUIntBE(encodeWiegand(c), 2, 5);
  return report;
});
const uidInputs = Array.from({ length: 256 }, (_, i) =>
  Buffer.from([0x04, i, 0xb2, 0xc3, 0xd4, 0xe5, 0xf6, 0x90, 0x00]),
);
const bootInputs = ['00 00 1e 00 00 00 00 00', '00 00 00 00 00 00 00 00'].map((h) =>
  Buffer.from(h.replace(/ /g, ''), 'hex'),
);

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
    const clock = new ManualClock();
    const capture = wedgeCaptureSchema.parse({
      digitsOnly: 'badge',
      id: { kind: 'wiegand-fields', format: 'H10301', facilityDigits: 3 },
    });
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
        clock.advance(8);
      }
      clock.advance(2000); // past the debounce-free gap: the next burst starts fresh
      return taps === before + 1;
    });
  })(),
};

// --- report-to-tap latency through drivers and the manager ------------------------------------------
const setImmediateTick = () => new Promise((resolve) => setImmediate(resolve));

/**
 * Taps the manager emits, with the time of the last one. Every latency run checks that it produced
 * exactly one tap, so a stale time from an earlier run can never become a sample.
 */
function tapCounter(manager: ReaderManager) {
  const counter = { taps: 0, at: 0 };
  manager.onEvent((e: BadgeReaderEvent) => {
    if (e.kind !== 'tap') return;
    counter.taps++;
    counter.at = performance.now();
  });
  return counter;
}

function expectOneTap(counter: { taps: number }, before: number, driver: string, run: number): void {
  if (counter.taps !== before + 1)
    throw new Error(`${driver} latency run ${run} produced ${counter.taps - before} taps instead of 1`);
}

/** One reader on a fake HID device, behind the real manager with no debounce: what the latency runs drive. */
async function managedHidReader(
  ids: { vendorId: number; productId: number },
  reader: Record<string, unknown>,
  answer?: ConstructorParameters<typeof FakeHidDevice>[0],
) {
  const clock = new ManualClock();
  const backend = new FakeHidBackend();
  backend.plug('/dev/hidraw1', ids, () => new FakeHidDevice(answer));
  const config = parseReaderConfig({ readers: [{ ...ids, ...reader }], debounceMs: 0 });
  const manager = new ReaderManager({ config, clock, hidBackend: backend });
  return { clock, backend, manager, counter: tapCounter(manager) };
}

async function hidDataLatency(): Promise<number[]> {
  const { manager, backend, counter } = await managedHidReader(
    { vendorId: 1, productId: 2 },
    {
      driver: 'hid-data',
      id: 'h',
      layout: { reportId: 1, offset: 2, length: 5, content: { kind: 'wiegand', bitLengthOffset: 1 } },
    },
  );
  await manager.start();
  const device = backend.lastDevice!;
  const samples: number[] = [];
  for (let i = 0; i < LATENCY_RUNS; i++) {
    const before = counter.taps;
    const start = performance.now();
    device.input(hidInputs[i % hidInputs.length]!);
    expectOneTap(counter, before, 'hid-data', i);
    samples.push(counter.at - start);
  }
  await manager.stop();
  return samples;
}

async function pcproxLatency(): Promise<number[]> {
  const emulator = new FakePcProx('00 03 05 00 10 1a 00 28 00');
  const { clock, manager, counter } = await managedHidReader(
    { vendorId: 0x0c27, productId: 0x3bfa },
    { driver: 'pcprox', id: 'p', pollIntervalMs: 200 },
    emulator.answer,
  );
  // Steps the manual clock 1 ms at a time (the driver pauses 1 ms between command and answer) until `done`.
  const stepUntil = async (done: () => boolean, limitMs: number) => {
    for (let t = 0; t < limitMs && !done(); t++) {
      await setImmediateTick();
      clock.advance(1);
    }
    await setImmediateTick();
  };
  const starting = manager.start();
  await stepUntil(() => manager.status().readers[0]!.state === 'ready', 100);
  await starting;
  const samples: number[] = [];
  for (let i = 0; i < LATENCY_RUNS; i++) {
    const c = pcproxInputs[i % pcproxInputs.length]!;
    emulator.card = { buffer0: `00${c.buffer0.toString('hex')}`, buffer1: `00${c.buffer1.toString('hex')}` };
    const before = counter.taps;
    // From the poll timer firing (the card buffer is read now) to the tap event; the fake device answers at
    // once, so this is the driver's and the manager's own time plus the stepping of the two 1 ms pauses.
    clock.advance(200);
    const start = performance.now();
    await stepUntil(() => counter.taps > before, 50);
    expectOneTap(counter, before, 'pcprox', i);
    samples.push(counter.at - start);
    emulator.card = undefined; // the next poll reads the empty buffer (removal)
    await stepUntil(() => false, 210);
  }
  await manager.stop();
  return samples;
}

async function pcscLatency(): Promise<number[]> {
  const clock = new ManualClock();
  const context = fakePcscContext();
  const config = parseReaderConfig({ readers: [{ driver: 'pcsc', id: 'c' }], debounceMs: 0 });
  const manager = new ReaderManager({ config, clock, loadPcsc: async () => () => context });
  const counter = tapCounter(manager);
  await manager.start();
  const reader = new FakeCardReader('OMNIKEY 5022');
  context.emit('reader', reader);
  reader.emit('status', { state: reader.SCARD_STATE_EMPTY });
  const samples: number[] = [];
  for (let i = 0; i < LATENCY_RUNS; i++) {
    reader.response = uidInputs[i % uidInputs.length]!;
    const before = counter.taps;
    // From the service reporting the card to the tap event (connect, Get Data APDU, UID check, manager).
    const start = performance.now();
    reader.emit('status', { state: reader.SCARD_STATE_PRESENT });
    expectOneTap(counter, before, 'pcsc', i);
    samples.push(counter.at - start);
    reader.emit('status', { state: reader.SCARD_STATE_EMPTY });
  }
  await manager.stop();
  return samples;
}

/** Boot-keyboard reports for "012" "03456" and Enter: each key pressed, then all keys released. */
const BOOT_USAGES: Record<string, number> = {
  '0': 0x27,
  '1': 0x1e,
  '2': 0x1f,
  '3': 0x20,
  '4': 0x21,
  '5': 0x22,
  '6': 0x23,
  Enter: 0x28,
};
const bootReport = (usage: number) => Buffer.from([0, 0, usage, 0, 0, 0, 0, 0]);

async function hidrawWedgeLatency(): Promise<number[]> {
  const { clock, manager, backend, counter } = await managedHidReader(
    { vendorId: 0x0c27, productId: 0x3bfa },
    {
      driver: 'hidraw-wedge',
      id: 'k',
      capture: { digitsOnly: 'badge', id: { kind: 'wiegand-fields', format: 'H10301', facilityDigits: 3 } },
    },
  );
  await manager.start();
  const device = backend.lastDevice!;
  const samples: number[] = [];
  for (let i = 0; i < LATENCY_RUNS; i++) {
    for (const k of '01203456') {
      device.input(bootReport(BOOT_USAGES[k]!));
      clock.advance(4);
      device.input(bootReport(0));
      clock.advance(4);
    }
    const before = counter.taps;
    // From the Enter report to the tap event (boot-keyboard decode, burst detector, id mapping, manager).
    const start = performance.now();
    device.input(bootReport(BOOT_USAGES.Enter!));
    expectOneTap(counter, before, 'hidraw-wedge', i);
    samples.push(counter.at - start);
    device.input(bootReport(0));
    clock.advance(2000);
  }
  await manager.stop();
  return samples;
}

function wedgeLatency(): number[] {
  const clock = new ManualClock();
  const capture = wedgeCaptureSchema.parse({
    digitsOnly: 'badge',
    id: { kind: 'wiegand-fields', format: 'H10301', facilityDigits: 3 },
  });
  const reader = new KeyboardWedgeReader({ id: 'w', description: 'w', capture, clock });
  const counter = { taps: 0, at: 0 };
  reader.onEvent((e) => {
    if (e.kind !== 'tap') return;
    counter.taps++;
    counter.at = performance.now();
  });
  void reader.start();
  // What one webContents' capture calls for each key (wedge-input-capture.ts), without replays in flight.
  const filter = reader.openFilter({ pending: () => false }, () => undefined);
  const samples: number[] = [];
  for (let i = 0; i < LATENCY_RUNS; i++) {
    for (const k of '01203456') {
      filter.handle({ type: 'keyDown', key: k, code: `Digit${k}` });
      clock.advance(8);
    }
    const before = counter.taps;
    const start = performance.now();
    filter.handle({ type: 'keyDown', key: 'Enter', code: 'Enter' });
    expectOneTap(counter, before, 'keyboard-wedge', i);
    samples.push(counter.at - start);
    clock.advance(2000);
  }
  return samples;
}

const latency = {
  hidData: await hidDataLatency(),
  pcprox: await pcproxLatency(),
  pcsc: await pcscLatency(),
  wedge: wedgeLatency(),
  hidrawWedge: await hidrawWedgeLatency(),
};
const p99 = Object.fromEntries(Object.entries(latency).map(([k, v]) => [k, round(percentile(v, 99), 4)]));

// --- barcodes are not badges: the corpus of reader, scanner and human bursts ------------------------------
const corpus = loadWedgeCorpus();
const HEX_26 = { kind: 'wiegand-hex', bitLength: 26 };
const corpusCounts = (policy: Record<string, unknown>) => {
  const o = runWedgeCorpus(policy, corpus);
  return {
    barcode_swallowed: o.barcodeSwallowed,
    barcode_false_taps: o.barcodeFalseTaps,
    badge_bursts_missed: o.badgeBurstsMissed,
    human_swallowed: o.humanSwallowed,
  };
};

const result = {
  bench: 'readers',
  node: process.version,
  decodesPerSecond,
  reportToTapP99Ms: p99,
  reportToTapP50Ms: Object.fromEntries(Object.entries(latency).map(([k, v]) => [k, round(percentile(v, 50), 4)])),
  latencyRuns: LATENCY_RUNS,
  /** Out of the corpus' bursts (test/fixtures/readers/wedge-bursts.json), per keyboard-wedge capture policy. */
  wedgeCorpus: {
    bursts: corpus.length,
    badges: corpus.filter((b) => b.source === 'badge').length,
    barcodes: corpus.filter((b) => b.source === 'barcode').length,
    defaults: corpusCounts({ id: HEX_26 }),
    prefixSuffix: corpusCounts({ prefix: ';', suffix: '?', id: HEX_26 }),
    digitsOnlyBadge: corpusCounts({ digitsOnly: 'badge', id: HEX_26 }),
  },
  note:
    'fake devices answer at once: pcprox latency excludes the poll interval (default 200 ms) and USB transfer time, ' +
    'but includes stepping a manual clock through its two 1 ms command pauses; pcsc excludes the PC/SC service',
};
reportBench('readers', result);
