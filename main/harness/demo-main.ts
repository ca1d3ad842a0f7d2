import { enableCompileCache } from 'node:module';

// The entry of the bundled harness (out/demo/cli.mjs): V8 keeps the compiled code of what it loads next between
// starts, in the OS's temporary folder, which saves tens of milliseconds of every start after the first
// (docs/performance.md). It must come first: code compiled before it is not cached.
enableCompileCache();
await import('./cli.js');
