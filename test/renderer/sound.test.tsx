// @vitest-environment jsdom
import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { App } from '../../renderer/App';
import { baseView, fakeApi, nurse } from './fake-api';

/** A Web Audio stand-in that counts the tones started (jsdom has no audio). */
function fakeAudio() {
  const started: number[] = [];
  class FakeAudioContext {
    currentTime = 0;
    destination = {};
    createOscillator() {
      const oscillator = {
        frequency: { value: 0 },
        connect: (node: unknown) => node,
        start: () => started.push(oscillator.frequency.value),
        stop: () => undefined,
      };
      return oscillator;
    }
    createGain() {
      return { gain: { value: 0 }, connect: (node: unknown) => node };
    }
  }
  vi.stubGlobal('AudioContext', FakeAudioContext);
  return started;
}

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const warning = { ...baseView, screen: 'idle-warning' as const, user: nurse, idleWarningMsLeft: 30_000 };

const prefs = (soundCues: boolean) => ({
  values: { language: 'en' as const, soundCues, pinPadLayout: 'phone' as const },
});

describe('sounds, where the sound cues preference is on', () => {
  it('beeps when the idle warning opens and when a badge is read', async () => {
    const started = fakeAudio();
    const fake = fakeApi(warning, prefs(true));
    render(<App api={fake.api} />);
    await screen.findByTestId('idle-warning');
    await waitFor(() => expect(started).toHaveLength(1));
    act(() => fake.pushBadgeRead());
    expect(started).toHaveLength(2);
  });

  it('stays silent when the preference is off', async () => {
    const started = fakeAudio();
    const fake = fakeApi(warning, prefs(false));
    render(<App api={fake.api} />);
    await screen.findByTestId('idle-warning');
    await act(async () => undefined);
    act(() => fake.pushBadgeRead());
    expect(started).toEqual([]);
  });

  it('follows a change pushed by main: silent, then a tone on the next tap', async () => {
    const started = fakeAudio();
    const fake = fakeApi(baseView, prefs(false));
    render(<App api={fake.api} />);
    await screen.findByTestId('lock-screen');
    await act(async () => undefined);
    act(() => fake.pushBadgeRead());
    expect(started).toEqual([]);
    act(() => fake.pushPreferences({ soundCues: true }));
    act(() => fake.pushBadgeRead());
    expect(started).toHaveLength(1);
  });
});
