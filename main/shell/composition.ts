// The one workstation composition the shell runs (docs/shell.md#composition): the same runWorkstation as the harness.
export { runWorkstation } from '../workstation/run-workstation.js';
