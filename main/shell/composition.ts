// The one workstation composition the shell runs (docs/shell.md#composition). Switching to runWorkstation is this
// one line: export { runWorkstation } from '../workstation/run-workstation.js'; then delete legacy-workstation.ts.
export { runLegacyWorkstation as runWorkstation } from './legacy-workstation.js';
