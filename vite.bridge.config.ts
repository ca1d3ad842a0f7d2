import { resolve } from 'node:path';
import { defineConfig } from 'vite';

// The harness bridge: window.careshell over the loopback WebSocket, loaded before the renderer in Chromium.
export default defineConfig({
  build: {
    outDir: 'out/harness',
    emptyOutDir: true,
    lib: {
      entry: resolve(import.meta.dirname, 'preload/harness-bridge.ts'),
      formats: ['iife'],
      name: 'careshellHarnessBridge',
      fileName: () => 'bridge.js',
    },
  },
});
