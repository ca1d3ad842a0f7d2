/** Where the Electron runtime binary is, or why there is none (scripts/electron-runtime.mjs). */
export function electronRuntime(): { binary: string } | { missing: string };
