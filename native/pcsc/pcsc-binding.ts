/**
 * The part of the @pokusew/pcsclite API the PC/SC driver uses (its index.d.ts / examples): a context that
 * emits 'reader' for each reader as it appears, and readers that emit 'status' (state bit mask, ATR) and
 * 'end' (unplugged), with callback-style connect / transmit / disconnect.
 */
export interface PcscCardReader {
  name: string;
  SCARD_STATE_EMPTY: number;
  SCARD_STATE_PRESENT: number;
  SCARD_SHARE_SHARED: number;
  SCARD_LEAVE_CARD: number;
  on(event: 'status', listener: (status: { state: number; atr?: Buffer }) => void): unknown;
  on(event: 'end', listener: () => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  connect(options: { share_mode: number }, callback: (error: Error | null | undefined, protocol: number) => void): void;
  transmit(
    data: Buffer,
    responseLength: number,
    protocol: number,
    callback: (error: Error | null | undefined, response: Buffer) => void,
  ): void;
  disconnect(disposition: number, callback: (error?: Error | null) => void): void;
  close(): void;
}

export interface PcscContext {
  on(event: 'reader', listener: (reader: PcscCardReader) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  close(): void;
}

export type PcscFactory = () => PcscContext;

export const PCSC_PACKAGE = '@pokusew/pcsclite';

/**
 * Loads the optional binding. npm may skip its native build (no install scripts, no compiler, no
 * libpcsclite), so it is loaded only when a PC/SC reader is configured, and a failure says what to install.
 */
export async function loadPcscBinding(): Promise<PcscFactory> {
  try {
    const specifier: string = PCSC_PACKAGE;
    const mod = (await import(specifier)) as { default?: PcscFactory } & PcscFactory;
    return typeof mod.default === 'function' ? mod.default : mod;
  } catch (cause) {
    throw new Error(
      `PC/SC support is not installed, so the contactless reader cannot be used. Install the PC/SC service ` +
        `(Linux: apt install pcscd libpcsclite1; Windows and macOS include it) and the optional package ` +
        `${PCSC_PACKAGE} with its native build (npm install ${PCSC_PACKAGE} with build tools present), then restart CareShell.`,
      { cause },
    );
  }
}
