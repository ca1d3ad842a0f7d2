import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { BadgeReaderEvent } from '../../../native/badge-reader.js';
import { loadPcscBinding } from '../../../native/pcsc/pcsc-binding.js';
import { PcscReader } from '../../../native/pcsc/pcsc-reader.js';
import { GET_UID_APDU, parseGetUidResponse } from '../../../native/pcsc/pcsc-uid.js';
import { bytes } from '../../../bench/support/fake-hid.js';
import { FakeCardReader, fakePcscContext } from '../../../bench/support/fake-pcsc.js';

const fixture = JSON.parse(readFileSync(new URL('../../fixtures/readers/pcsc.json', import.meta.url), 'utf8')) as {
  apdu: string;
  cases: { name: string; response: string; expect: string }[];
  badReads: { name: string; response: string; reason: string }[];
};

describe('PC/SC UID', () => {
  it('uses the byte-exact Get Data APDU', () => {
    expect(GET_UID_APDU.equals(bytes(fixture.apdu))).toBe(true);
  });
  it.each(fixture.cases)('accepts fixture: $name', ({ response, expect: id }) => {
    expect(parseGetUidResponse(bytes(response))).toEqual({ ok: true, badge: { badgeId: id, format: 'uid' } });
  });
  it.each(fixture.badReads)('rejects fixture: $name', ({ response, reason }) => {
    expect(parseGetUidResponse(bytes(response))).toEqual({ ok: false, reason: expect.stringContaining(reason) });
  });
});

describe('PcscReader', () => {
  it('attaches when the service announces a matching reader, taps on card arrival, reports removal and unplug', async () => {
    const context = fakePcscContext();
    const reader = new PcscReader({
      id: 'tap',
      description: 'Contactless',
      readerName: 'OMNIKEY',
      loadBinding: async () => () => context,
    });
    const events: BadgeReaderEvent[] = [];
    reader.onEvent((e) => events.push(e));
    await reader.start();
    context.emit('reader', new FakeCardReader('Yubico YubiKey'));
    const omnikey = new FakeCardReader('HID Global OMNIKEY 5022 Smart Card Reader');
    context.emit('reader', omnikey);
    // The first status after attach says the field is empty: nothing was removed.
    omnikey.emit('status', { state: omnikey.SCARD_STATE_EMPTY });
    omnikey.response = bytes(fixture.cases[0]!.response);
    omnikey.emit('status', { state: omnikey.SCARD_STATE_PRESENT });
    omnikey.emit('status', { state: omnikey.SCARD_STATE_EMPTY });
    omnikey.response = bytes(fixture.badReads[0]!.response);
    omnikey.emit('status', { state: omnikey.SCARD_STATE_PRESENT });
    omnikey.emit('end');
    expect(omnikey.transmitted.map((b) => b.toString('hex'))).toEqual(['ffca000000', 'ffca000000']);
    expect(omnikey.disconnects).toBe(2);
    expect(events).toEqual([
      { kind: 'attached', readerId: 'tap', description: 'Contactless (HID Global OMNIKEY 5022 Smart Card Reader)' },
      { kind: 'tap', readerId: 'tap', badgeId: 'uid:04a1b2c3d4e5f6', format: 'uid' },
      { kind: 'removed', readerId: 'tap', badgeId: 'uid:04a1b2c3d4e5f6' },
      { kind: 'error', readerId: 'tap', message: expect.stringContaining('6a81'), scope: 'read' },
      { kind: 'detached', readerId: 'tap' },
    ]);
  });

  it('reads a card already on the reader at attach, and reports no removal for a card that never tapped', async () => {
    const context = fakePcscContext();
    const reader = new PcscReader({ id: 'tap', description: 'Contactless', loadBinding: async () => () => context });
    const events: BadgeReaderEvent[] = [];
    reader.onEvent((e) => events.push(e));
    await reader.start();
    const omnikey = new FakeCardReader('OMNIKEY 5427');
    context.emit('reader', omnikey);
    omnikey.response = bytes(fixture.cases[0]!.response);
    omnikey.emit('status', { state: omnikey.SCARD_STATE_PRESENT });
    omnikey.emit('status', { state: omnikey.SCARD_STATE_EMPTY });
    omnikey.response = bytes(fixture.badReads[0]!.response);
    omnikey.emit('status', { state: omnikey.SCARD_STATE_PRESENT });
    omnikey.emit('status', { state: omnikey.SCARD_STATE_EMPTY });
    expect(events.map((e) => e.kind)).toEqual(['attached', 'tap', 'removed', 'error']);
  });

  it('without the optional binding, start fails with what IT must install', async () => {
    // The binding's native build is skipped here (npm runs no install scripts), like on a machine without it.
    const loaded = await loadPcscBinding().then(
      () => 'loaded',
      (error: Error) => error.message,
    );
    if (loaded === 'loaded') {
      console.info(
        'skipped: @pokusew/pcsclite is installed and built on this machine; the missing-binding path is covered below',
      );
    } else {
      expect(loaded).toMatch(/pcscd libpcsclite1/);
      expect(loaded).toMatch(/@pokusew\/pcsclite/);
    }
    const reader = new PcscReader({
      id: 'tap',
      description: 'Contactless',
      loadBinding:
        loaded === 'loaded'
          ? () => Promise.reject(new Error('PC/SC support is not installed (simulated)'))
          : loadPcscBinding,
    });
    await expect(reader.start()).rejects.toThrow(/not installed/);
  });
});
