import { afterEach, describe, expect, it } from 'vitest';
import { startTestDemo, type TestDemo } from '../../support/test-demo.js';

let demo: TestDemo | undefined;
afterEach(async () => {
  await demo?.stop();
  demo = undefined;
});

describe('the demo harness: "Show the sign-in window" says where the sign-in page is', () => {
  it('while an enrollment waits at the local provider, answers with its address; once cancelled, that none waits', async () => {
    let opened: (url: string) => void = () => {};
    const signInPage = new Promise<string>((resolve) => (opened = resolve));
    // The page is "shown" and nobody signs in: the sign-in waits, as it does while a clinician is at it.
    demo = await startTestDemo({ openSignIn: async (url) => opened(url) });
    const show = async () => {
      const outcome = await demo!.careshell.contract.invoke('session:show-sign-in', undefined);
      if (!outcome.ok) throw new Error(outcome.error);
      return outcome.result;
    };
    await demo.control('/control/tap', { badgeId: demo.unenrolledBadgeId });
    const url = await signInPage;
    expect(demo.careshell.session.view().enrollment?.step).toBe('sign-in');
    expect(await show()).toEqual({
      ok: false,
      message: `The demo cannot bring a browser tab to the front: the sign-in page is open in another tab or window at ${url}`,
    });

    await demo.careshell.contract.invoke('session:cancel-enrollment', undefined);
    expect(await show()).toEqual({
      ok: false,
      message: 'No sign-in is waiting: there is no sign-in window to show.',
    });
  });
});
