import path from 'node:path';

export interface DataFolderEnvironment {
  platform: NodeJS.Platform;
  homedir: string;
  env: Readonly<Record<string, string | undefined>>;
}

/**
 * Where Electron keeps a user's app data (app.getPath('userData')) on each OS, for the app's name as packaged
 * (`CareShell`) and as a development build names it (`careshell`): the folders `careshell-status` looks in when
 * it is not given one (docs/it-guide.md#health).
 */
export function defaultDataFolders({ platform, homedir, env }: DataFolderEnvironment): string[] {
  const join = platform === 'win32' ? path.win32.join : path.posix.join;
  const appData =
    platform === 'win32'
      ? (env.APPDATA ?? join(homedir, 'AppData', 'Roaming'))
      : platform === 'darwin'
        ? join(homedir, 'Library', 'Application Support')
        : (env.XDG_CONFIG_HOME ?? join(homedir, '.config'));
  return [join(appData, 'CareShell'), join(appData, 'careshell')];
}
