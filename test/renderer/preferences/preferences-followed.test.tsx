// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../../renderer/App';
import { baseView, fakeApi, nurse } from '../fake-api';

afterEach(cleanup);

const pinView = {
  ...baseView,
  screen: 'locked' as const,
  user: nurse,
  reverify: 'pin' as const,
  pinPrompt: { displayName: nurse.displayName, canReset: false },
};
const values = (over: Partial<{ language: 'en' | 'es'; pinPadLayout: 'phone' | 'calculator' }> = {}) => ({
  values: { language: 'en' as const, soundCues: false, pinPadLayout: 'phone' as const, ...over },
});

/** The digit keys of the pad, top row first. */
const digits = () =>
  within(screen.getByTestId('pin-pad'))
    .getAllByRole('button')
    .map((b) => b.textContent)
    .filter((text) => /^\d$/.test(text ?? ''));

describe('the screens follow the effective preferences', () => {
  it('changes the language when the person picks another in the preferences panel', async () => {
    const fake = fakeApi(baseView, values());
    render(<App api={fake.api} />);
    await screen.findByText('Tap your badge to sign in');
    fireEvent.click(screen.getByTestId('preferences-open'));
    fireEvent.change(await screen.findByTestId('pref-language'), { target: { value: 'es' } });
    expect(await screen.findByText('Acerque su tarjeta para iniciar sesión')).toBeTruthy();
    expect(document.documentElement.lang).toBe('es');
    // The panel itself now speaks Spanish too.
    expect(screen.getByRole('heading', { level: 2, name: 'Preferencias' })).toBeTruthy();
    expect(screen.getByTestId('preferences-close').textContent).toBe('Cerrar');
  });

  it('lays the PIN pad out as preferred, and follows a change machine policy pushes', async () => {
    const fake = fakeApi(pinView, values({ pinPadLayout: 'calculator' }));
    render(<App api={fake.api} />);
    await screen.findByTestId('pin-pad');
    await waitFor(() => expect(digits().slice(0, 3)).toEqual(['7', '8', '9']));
    expect(digits()).toEqual(['7', '8', '9', '4', '5', '6', '1', '2', '3', '0']);
    act(() => fake.pushPreferences({ pinPadLayout: 'phone', language: 'es' }));
    expect(digits()).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '0']);
    expect(screen.getByTestId('pin-submit').textContent).toBe('Desbloquear');
  });

  it('reads them again when the person on the screen changes', async () => {
    const fake = fakeApi(baseView, values());
    render(<App api={fake.api} />);
    await screen.findByText('Tap your badge to sign in');
    fake.setStoredPreferences({ language: 'es' });
    act(() => fake.push(pinView));
    expect(await screen.findByText('Desbloquear')).toBeTruthy();
  });

  it('shows a key machine policy sets read-only, and keeps the screens in its value', async () => {
    const fake = fakeApi(baseView, { ...values({ language: 'es' }), locked: ['language'] });
    render(<App api={fake.api} />);
    await screen.findByText('Acerque su tarjeta para iniciar sesión');
    fireEvent.click(screen.getByTestId('preferences-open'));
    const language = (await screen.findByTestId('pref-language')) as HTMLSelectElement;
    expect(language.disabled).toBe(true);
    expect(screen.getByTestId('language-locked').textContent).toBe('Establecido por su organización');
    expect((screen.getByTestId('pref-pin-pad') as HTMLSelectElement).disabled).toBe(false);
  });

  it('turns a key read-only in the open panel when machine policy locks it', async () => {
    const fake = fakeApi(baseView, values());
    render(<App api={fake.api} />);
    fireEvent.click(await screen.findByTestId('preferences-open'));
    const layout = (await screen.findByTestId('pref-pin-pad')) as HTMLSelectElement;
    expect(layout.disabled).toBe(false);
    act(() => fake.pushPreferences({ pinPadLayout: 'calculator' }, ['pinPadLayout']));
    expect(layout.disabled).toBe(true);
    expect(layout.value).toBe('calculator');
    expect(screen.getByTestId('pinPadLayout-locked').textContent).toBe('Set by your organisation');
  });
});
