import { describe, expect, it } from 'vitest';
import { LoopbackListener } from '../../../../main/identity/tokens/loopback-listener.js';
import { isListening } from '../identity-fixtures.js';

const pages = { successPage: 'Signed in.', errorPage: 'Sign-in did not complete.' };

function post(listener: LoopbackListener, body: string, type = 'application/x-www-form-urlencoded') {
  return fetch(`http://127.0.0.1:${listener.port}/`, { method: 'POST', headers: { 'content-type': type }, body });
}

describe('LoopbackListener', () => {
  it("answers only the expected state's form post, then stops listening", async () => {
    const listener = await LoopbackListener.open({ state: 's-1', ...pages });
    expect(listener.redirectUri).toBe(`http://localhost:${listener.port}`);
    let answered = false;
    void listener.response.then(() => (answered = true));

    expect((await fetch(`http://127.0.0.1:${listener.port}/?code=c&state=s-1`)).status).toBe(404);
    expect((await post(listener, 'code=c&state=s-1', 'text/plain')).status).toBe(415);
    expect((await post(listener, 'code=c&state=other')).status).toBe(400);
    expect((await post(listener, 'code=c&state=s-1&state=s-1')).status).toBe(400);
    const neither = await post(listener, 'state=s-1');
    expect([neither.status, await neither.text()]).toEqual([
      400,
      "The identity provider's answer is not usable: the answer has neither a code nor an error.",
    ]);
    expect(answered).toBe(false);

    const ok = await post(listener, 'code=the-code&state=s-1&client_info=ci');
    expect([ok.status, await ok.text()]).toEqual([200, 'Signed in.']);
    expect(await listener.response).toEqual({ code: 'the-code', state: 's-1', client_info: 'ci' });
    await expect.poll(() => isListening(listener.port)).toBe(false);
  });

  it('shows the error page for a provider error and passes the error on', async () => {
    const listener = await LoopbackListener.open({ state: 's-2', ...pages });
    const denied = await post(listener, 'error=access_denied&error_description=The+user+declined.&state=s-2');
    expect(await denied.text()).toBe('Sign-in did not complete.');
    expect(await listener.response).toEqual({
      error: 'access_denied',
      error_description: 'The user declined.',
      state: 's-2',
    });
  });

  it('close() ends a pending wait with its reason and frees the port', async () => {
    const listener = await LoopbackListener.open({ state: 's-3', ...pages });
    expect(await isListening(listener.port)).toBe(true);
    listener.close(new Error('window closed'));
    await expect(listener.response).rejects.toThrow('window closed');
    expect(await isListening(listener.port)).toBe(false);
    listener.close(new Error('again')); // idempotent
  });
});
