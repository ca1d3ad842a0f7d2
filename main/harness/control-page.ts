import { OS_EVENTS } from '../session/session-input.js';
import type { HarnessControls } from './harness-server.js';

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * The demo's badge "reader": plain HTML forms (no script), kept outside the lock UI so that what a
 * clinician sees is exactly the product, and what the demonstrator clicks is clearly not.
 */
export function renderControlPage(controls: HarnessControls, token: string, done: string | null): string {
  const hidden = `<input type="hidden" name="token" value="${escapeHtml(token)}">`;
  const badgeButtons = controls.badges
    .map(
      (b) =>
        `<form method="post" action="/control/tap">${hidden}<input type="hidden" name="badgeId" value="${escapeHtml(b.badgeId)}"><button>Tap: ${escapeHtml(b.label)}</button></form>`,
    )
    .join('\n');
  const osButtons = OS_EVENTS.map(
    (e) =>
      `<form method="post" action="/control/os">${hidden}<input type="hidden" name="event" value="${e}"><button>${e}</button></form>`,
  ).join('\n');
  const advance = controls.advanceClock
    ? `<h2>Clock (manual)</h2><form method="post" action="/control/advance">${hidden}<input name="ms" value="60000" size="10"> ms <button>Advance</button></form>`
    : '';
  const revocation = controls.revocation
    ? `<h2>Revocation list</h2><p>Publishes the next signed list (tools/revocation-server); every workstation applies it at its next poll.</p>${controls.revocation.users
        .map(
          (u) =>
            `<form method="post" action="/control/revoke">${hidden}<input type="hidden" name="userId" value="${escapeHtml(u.userId)}"><button>Revoke ${escapeHtml(u.label)}</button></form><form method="post" action="/control/restore">${hidden}<input type="hidden" name="userId" value="${escapeHtml(u.userId)}"><button>Restore ${escapeHtml(u.label)}</button></form>`,
        )
        .join('\n')}`
    : '';
  const mails = controls.mails?.() ?? [];
  const mailbox = controls.mails
    ? `<h2>Privacy office mailbox (${mails.length})</h2><p>Break-glass alerts as the privacy officer receives them; reload to see new ones.</p>${mails
        .map(
          (m) =>
            `<details class="mail" data-message-id="${escapeHtml(m.messageId)}"><summary>${escapeHtml(m.subject)}</summary><p>To: ${escapeHtml(m.to.join(', '))}</p><pre>${escapeHtml(m.text)}</pre></details>`,
        )
        .join('\n')}`
    : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>CareShell demo controls</title>
<style>body{font-family:system-ui,sans-serif;margin:24px;max-width:640px}form{display:inline-block;margin:4px}button{font-size:16px;padding:10px 14px}
.done{background:#e3f0ff;padding:8px 12px;border-radius:6px}.mail pre{white-space:pre-wrap}</style></head><body>
<h1>Demo badge reader</h1>
<p>Simulated reader for the demo: each button is a badge held to the reader. Keep this window beside the CareShell window.</p>
${done ? `<p class="done" role="status">${escapeHtml(done)}</p>` : ''}
${badgeButtons}
<form method="post" action="/control/tap">${hidden}<input name="badgeId" placeholder="H10301:12:3456" size="18"><button>Tap this badge id</button></form>
<form method="post" action="/control/remove">${hidden}<button>Remove badge (presence reader)</button></form>
<h2>Operating system events</h2>
${osButtons}
${advance}
${revocation}
${mailbox}
</body></html>`;
}
