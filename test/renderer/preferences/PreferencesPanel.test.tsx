// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { PreferencesButton } from '../../../renderer/components/preferences/PreferencesButton';
import { PreferencesPanel } from '../../../renderer/components/preferences/PreferencesPanel';
import { createCareShellApi, type ContractTransport, type PreferencesView } from '../../../preload/contract';

afterEach(cleanup);

/** A main process that keeps preferences and locks `locked`, as the preference service does. */
function fakePreferences(locked: PreferencesView['locked']) {
  const view: PreferencesView = {
    values: { language: 'en', soundCues: true, pinPadLayout: 'phone' },
    locked,
    choices: { language: ['en', 'es'], pinPadLayout: ['phone', 'calculator'] },
  };
  const sets: unknown[] = [];
  const transport: ContractTransport = {
    invoke: async (channel, request) => {
      if (channel === 'preferences:get') return structuredClone(view) as never;
      if (channel === 'preferences:set') {
        sets.push(request);
        const { key, value } = request as { key: keyof PreferencesView['values']; value: never };
        if (view.locked.includes(key)) return { ok: false, message: 'set by your organisation' } as never;
        view.values[key] = value;
        return { ok: true } as never;
      }
      throw new Error(`unexpected ${channel}`);
    },
    subscribe: () => () => {},
  };
  return { api: createCareShellApi(transport), sets };
}

describe('PreferencesPanel', () => {
  it('shows each preference and changes the ones policy leaves open', async () => {
    const fake = fakePreferences([]);
    render(<PreferencesPanel api={fake.api} onClose={() => {}} />);
    const layout = (await screen.findByTestId('pref-pin-pad')) as HTMLSelectElement;
    expect(layout.value).toBe('phone');
    fireEvent.change(layout, { target: { value: 'calculator' } });
    await waitFor(() => expect((screen.getByTestId('pref-pin-pad') as HTMLSelectElement).value).toBe('calculator'));
    fireEvent.click(screen.getByTestId('pref-sound'));
    await waitFor(() => expect((screen.getByTestId('pref-sound') as HTMLInputElement).checked).toBe(false));
    expect(fake.sets).toEqual([
      { key: 'pinPadLayout', value: 'calculator' },
      { key: 'soundCues', value: false },
    ]);
    expect(screen.queryByText('Set by your organisation')).toBeNull();
  });

  it('shows a key machine policy sets read-only, saying the organisation set it', async () => {
    const fake = fakePreferences(['language']);
    render(<PreferencesPanel api={fake.api} onClose={() => {}} />);
    const language = (await screen.findByTestId('pref-language')) as HTMLSelectElement;
    expect(language.disabled).toBe(true);
    expect(language.getAttribute('aria-describedby')).toBe('language-locked');
    expect(screen.getByTestId('language-locked').textContent).toBe('Set by your organisation');
    expect((screen.getByTestId('pref-pin-pad') as HTMLSelectElement).disabled).toBe(false);
  });

  it('closes on request', async () => {
    let closed = 0;
    render(<PreferencesPanel api={fakePreferences([]).api} onClose={() => closed++} />);
    fireEvent.click(await screen.findByTestId('preferences-close'));
    expect(closed).toBe(1);
  });
});

describe('PreferencesButton', () => {
  it('opens the panel and closes it again', async () => {
    render(<PreferencesButton api={fakePreferences([]).api} />);
    expect(screen.queryByTestId('preferences')).toBeNull();
    fireEvent.click(screen.getByTestId('preferences-open'));
    expect(await screen.findByTestId('pref-language')).toBeTruthy();
    fireEvent.click(screen.getByTestId('preferences-close'));
    expect(screen.queryByTestId('preferences')).toBeNull();
  });
});
