import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface ScriptedSignInOptions {
  username: string;
  password: string;
  /** The local provider's CA certificate (PEM). */
  caPem: string;
}

interface Reply {
  status: number;
  location?: string;
  setCookies: string[];
  body: string;
}

const MAX_STEPS = 12;

/**
 * An `openBrowser(url)` for msal-node that signs a demo user in at the local provider without a browser: it
 * follows the provider's redirects with its own cookie jar, posts the login and consent forms of
 * login-pages.ts, and posts the provider's form_post answer to msal's loopback redirect. The demo uses it to
 * enroll its demo users for real at start-up (so each has a token cache, as after a real enrollment).
 */
export function scriptedSignIn(options: ScriptedSignInOptions): (url: string) => Promise<void> {
  return async (authUrl) => {
    const cookies = new Map<string, string>();
    let next: { url: URL; form?: URLSearchParams } = { url: new URL(authUrl) };
    for (let step = 0; step < MAX_STEPS; step += 1) {
      const reply = await send(next.url, next.form, cookies, options.caPem);
      for (const header of reply.setCookies) {
        const [pair = ''] = header.split(';');
        const eq = pair.indexOf('=');
        const [name, value] = [pair.slice(0, eq).trim(), pair.slice(eq + 1).trim()];
        if (eq <= 0) continue;
        // An empty value is the provider clearing the cookie.
        if (value === '') cookies.delete(name);
        else cookies.set(name, value);
      }
      if (next.url.protocol === 'http:') return; // msal's loopback server has the answer
      if (reply.location) {
        next = { url: new URL(reply.location, next.url) };
        continue;
      }
      const action = /<form[^>]*action="([^"]+)"/.exec(reply.body)?.[1];
      if (reply.status !== 200 || !action)
        throw new Error(`Scripted sign-in stopped: HTTP ${reply.status} at ${next.url.pathname}.`);
      if (reply.body.includes('id="error"'))
        throw new Error(`The provider refused the credentials of ${options.username}.`);
      const target = new URL(decodeEntities(action), next.url);
      if (target.pathname.endsWith('/login')) {
        next = { url: target, form: new URLSearchParams({ login: options.username, password: options.password }) };
      } else if (target.pathname.endsWith('/confirm')) {
        next = { url: target, form: new URLSearchParams({ decision: 'allow' }) };
      } else {
        // The provider's form_post page: hidden inputs carry the code and state to the loopback redirect.
        const fields = [...reply.body.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"\/>/g)].map(
          ([, k, v]): [string, string] => [k!, decodeEntities(v!)],
        );
        next = { url: target, form: new URLSearchParams(fields) };
      }
    }
    throw new Error(`Scripted sign-in of ${options.username} did not finish within ${MAX_STEPS} steps.`);
  };
}

function send(
  url: URL,
  form: URLSearchParams | undefined,
  cookies: Map<string, string>,
  caPem: string,
): Promise<Reply> {
  const body = form?.toString();
  const headers: Record<string, string> = {};
  if (cookies.size > 0 && url.protocol === 'https:')
    headers.cookie = [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  if (body !== undefined) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    headers['content-length'] = String(Buffer.byteLength(body));
  }
  const method = body === undefined ? 'GET' : 'POST';
  return new Promise((resolve, reject) => {
    const onResponse = (res: IncomingMessage) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          location: res.headers.location,
          setCookies: res.headers['set-cookie'] ?? [],
          body: text,
        }),
      );
      res.on('error', reject);
    };
    // msal's loopback server listens on 127.0.0.1 only, while its redirect URI names localhost.
    const req =
      url.protocol === 'https:'
        ? httpsRequest(url, { method, headers, ca: caPem }, onResponse)
        : httpRequest(url, { method, headers, family: 4 }, onResponse);
    req.setTimeout(15_000, () => req.destroy(new Error(`Scripted sign-in: no answer from ${url.origin} in 15 s.`)));
    req.on('error', reject);
    req.end(body);
  });
}

function decodeEntities(text: string): string {
  return text.replace(
    /&(amp|quot|#39|#x27|lt|gt);/g,
    (_, e: string) => ({ amp: '&', quot: '"', '#39': "'", '#x27': "'", lt: '<', gt: '>' })[e]!,
  );
}
