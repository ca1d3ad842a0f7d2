import { resolve } from 'node:path';
import { defineConfig } from 'vite';

/**
 * The demo harness bundled (out/demo/cli.mjs, what `npm run demo` runs): Node loads a few modules instead of several
 * hundred, which halves the harness's start (docs/performance.md). The entry turns V8's compile cache on, then loads
 * the rest. Left outside the bundle: native addons, and the hospital side's and rarely used modules, which load
 * only when a code path needs them.
 */
export default defineConfig({
  build: {
    outDir: 'out/demo',
    emptyOutDir: true,
    ssr: resolve(import.meta.dirname, 'main/harness/demo-main.ts'),
    target: 'node24',
    minify: false,
    reportCompressedSize: false,
    rollupOptions: { output: { format: 'es', entryFileNames: 'cli.mjs', chunkFileNames: '[name]-[hash].mjs' } },
  },
  ssr: {
    noExternal: true,
    external: [
      '@node-rs/argon2',
      'node-hid',
      '@pokusew/pcsclite',
      'ws',
      'oidc-provider',
      'node-forge',
      'koa',
      'smtp-server',
      'nodemailer',
      'plist',
    ],
  },
});
