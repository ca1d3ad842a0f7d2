import { createCareShellApi } from './contract.js';
import { createWsTransport } from './ws-transport.js';

// Loaded by the demo harness before the renderer: gives the page the same window.careshell as the
// Electron preload, carried over the harness's loopback WebSocket (token from the page URL).
const token = new URLSearchParams(location.search).get('token') ?? '';
const url = `ws://${location.host}/careshell?token=${encodeURIComponent(token)}`;
(window as unknown as { careshell: unknown }).careshell = createCareShellApi(createWsTransport(url));
