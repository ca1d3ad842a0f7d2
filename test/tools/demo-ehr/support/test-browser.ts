import { createHash, randomBytes } from 'node:crypto';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';

/**
 * A minimal browser for the integration tests: one cookie jar per origin (what a CareShell session's partition
 * holds), redirects followed, and the local provider's login and consent forms answered. It counts the passwords
 * it typed, so a test can show single sign-on asked for none.
 */

export interface Page {
  status: number;
  url: string;
  body: string;
  headers: IncomingMessage['headers'];
}

const MAX_STEPS = 15;

export class TestBrowser {
  readonly jars = new Map<string, Map<string, string>>();
  passwordsTyped = 0;
  consentsGiven = 0;

  constructor(
    private readonly caPem: string,
    private readonly issuer: string,
    private readonly credentials?: { username: string; password: string },
  ) {}

  /**
   * Opens a URL like a user clicking a link; follows redirects and the provider's forms. Stops at the first page
   * outside the provider, or before loading a URL that `stopAt` accepts (e.g. a native app's loopback redirect).
   */
  async open(url: string, stopAt: (url: URL) => boolean = () => false, form?: URLSearchParams): Promise<Page> {
    let next: { url: URL; form?: URLSearchParams } = { url: new URL(url), ...(form ? { form } : {}) };
    for (let step = 0; step < MAX_STEPS; step += 1) {
      if (stopAt(next.url)) return { status: 0, url: next.url.toString(), body: '', headers: {} };
      const page = await this.send(next.url, next.form);
      if (page.headers.location) {
        next = { url: new URL(page.headers.location, next.url) };
        continue;
      }
      if (next.url.origin !== this.issuer) return page;
      const action = /<form[^>]*action="([^"]+)"/.exec(page.body)?.[1];
      if (!action) return page;
      const target = new URL(action.replace(/&amp;/g, '&'), next.url);
      if (target.pathname.endsWith('/login')) {
        if (!this.credentials) throw new Error('The provider asked for a password this browser does not have.');
        if (page.body.includes('id="error"')) throw new Error('The provider refused the password.');
        this.passwordsTyped += 1;
        next = {
          url: target,
          form: new URLSearchParams({ login: this.credentials.username, password: this.credentials.password }),
        };
      } else if (target.pathname.endsWith('/confirm')) {
        this.consentsGiven += 1;
        next = { url: target, form: new URLSearchParams({ decision: 'allow' }) };
      } else return page;
    }
    throw new Error(`No page after ${MAX_STEPS} redirects from ${url}`);
  }

  /** One request with this browser's cookies for the origin; no redirect following. */
  send(url: URL, form?: URLSearchParams, method = form ? 'POST' : 'GET'): Promise<Page> {
    const jar = this.jars.get(url.origin) ?? new Map<string, string>();
    this.jars.set(url.origin, jar);
    const body = form?.toString();
    const headers: Record<string, string> = {};
    if (jar.size > 0) headers.cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    if (body !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
    return new Promise((resolve, reject) => {
      const onResponse = (res: IncomingMessage) => {
        for (const header of res.headers['set-cookie'] ?? []) {
          const [pair = ''] = header.split(';');
          const eq = pair.indexOf('=');
          if (eq <= 0) continue;
          const [name, value] = [pair.slice(0, eq).trim(), pair.slice(eq + 1).trim()];
          if (value === '' || /max-age=0/i.test(header)) jar.delete(name);
          else jar.set(name, value);
        }
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, url: url.toString(), body: text, headers: res.headers }),
        );
        res.on('error', reject);
      };
      const req =
        url.protocol === 'https:'
          ? httpsRequest(url, { method, headers, ca: this.caPem }, onResponse)
          : httpRequest(url, { method, headers }, onResponse);
      req.on('error', reject);
      req.end(body);
    });
  }

  /**
   * Signs in to the provider's native (CareShell desktop) client with code + PKCE, as msal-node does, and returns
   * the access token the shell would hold.
   */
  async desktopAccessToken(clientId: string): Promise<string> {
    const verifier = randomBytes(32).toString('base64url');
    const redirectUri = 'http://localhost:53682';
    const authorize = new URL(`${this.issuer}/auth`);
    authorize.search = new URLSearchParams({
      client_id: clientId,
      response_type: 'code',
      redirect_uri: redirectUri,
      scope: 'openid profile',
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
    }).toString();
    const landed = await this.open(authorize.toString(), (u) => u.protocol === 'http:');
    const code = new URL(landed.url).searchParams.get('code');
    if (!code) throw new Error(`No code in the redirect: ${landed.url}`);
    const token = await this.send(
      new URL(`${this.issuer}/token`),
      new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: redirectUri,
        client_id: clientId,
        code_verifier: verifier,
      }),
    );
    const accessToken = (JSON.parse(token.body) as { access_token?: string }).access_token;
    if (!accessToken) throw new Error(`The token endpoint answered ${token.status}: ${token.body}`);
    return accessToken;
  }
}
