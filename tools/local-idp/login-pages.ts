/**
 * The local provider's own login and consent pages: plain HTML with stable ids, so a clinician can use them in
 * the demo and Playwright can drive them in the tests (#login, #password, #sign-in, #allow, #deny). Touch-sized
 * (48 px controls) with a language and a title, like CareShell's own screens (test/e2e/accessibility.test.ts).
 */
function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font-family:system-ui,sans-serif;background:#f3f5f8;display:flex;justify-content:center;padding-top:10vh}
main{background:#fff;padding:2rem;border-radius:8px;box-shadow:0 2px 8px #0002;min-width:20rem}
label{display:block;margin-top:1rem}input{width:100%;min-height:48px;padding:.5rem;font-size:1.1rem;box-sizing:border-box}
button{margin-top:1.5rem;min-height:48px;min-width:96px;padding:.6rem 1.2rem;font-size:1.1rem}.error{color:#b00020}
</style></head><body><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`;
}

export function loginPage(uid: string, options: { loginHint?: string; error?: string }): string {
  const error = options.error ? `<p class="error" id="error" role="alert">${escapeHtml(options.error)}</p>` : '';
  return page(
    'CareShell local sign-in',
    `${error}<form method="post" action="/interaction/${encodeURIComponent(uid)}/login" autocomplete="off">
<label for="login">User name</label><input id="login" name="login" value="${escapeHtml(options.loginHint ?? '')}" required autofocus>
<label for="password">Password</label><input id="password" name="password" type="password" required>
<button id="sign-in" type="submit">Sign in</button></form>`,
  );
}

export function consentPage(uid: string, clientId: string, scopes: string[]): string {
  const items = scopes.map((s) => `<li>${escapeHtml(s)}</li>`).join('');
  return page(
    'Allow access',
    `<p><strong>${escapeHtml(clientId)}</strong> asks for:</p><ul id="scopes">${items}</ul>
<form method="post" action="/interaction/${encodeURIComponent(uid)}/confirm">
<button id="allow" type="submit" name="decision" value="allow">Allow</button>
<button id="deny" type="submit" name="decision" value="deny">Deny</button></form>`,
  );
}
