import { app } from 'electron';
import { messageOf } from '../../common/errors.js';
import { createElectronHost, prepareElectron } from './electron-host.js';
import { runWorkstation } from './composition.js';

/**
 * The Electron entry: Electron glue only. The host shows what the workstation decides and reports what happens;
 * start problems are locked screens that explain themselves (never an exit, never the desktop).
 */
if (prepareElectron()) {
  app
    .whenReady()
    .then(() => {
      const host = createElectronHost();
      host.attach(runWorkstation(host));
    })
    .catch((error: unknown) => console.error(`careshell: the main window could not be created: ${messageOf(error)}`));
} else {
  // Another CareShell already runs this workstation; it keeps the screen.
  app.quit();
}
