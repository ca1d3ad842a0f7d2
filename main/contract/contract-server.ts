import { messageOf } from '../../common/errors.js';
import {
  answersOn,
  eventChannels,
  invokeChannels,
  type ChannelsOn,
  type EventChannel,
  type EventPayload,
  type InvokeChannel,
  type InvokeOutcome,
  type InvokeRequest,
  type InvokeResponse,
  type Screen,
} from '../../preload/contract.js';

/** A handler for each channel in C: with the default, a channel without a handler is a type error. */
export type InvokeHandlers<C extends InvokeChannel = InvokeChannel> = {
  [K in C]: (request: InvokeRequest<K>) => Promise<InvokeResponse<K>>;
};

const LIST = new Intl.ListFormat('en', { type: 'conjunction' });

export interface ContractLog {
  warn(message: string): void;
}

/**
 * The main-process end of the contract, shared by both transports (Electron IPC and the harness
 * WebSocket): nothing from the renderer reaches a handler before its channel and payload validate and the
 * screen on display answers that channel (preload/contract.ts declares which), and every request is
 * answered with an outcome, never a thrown error, so both transports fail the same way.
 *
 * S is the screens this server can be on: it needs a handler exactly for the channels those screens answer.
 */
export class ContractServer<S extends Screen = Screen> {
  // Kept untyped by screen so that every server is one type to its transports, whatever screens it serves.
  private readonly handlers: Partial<Record<InvokeChannel, (request: unknown) => Promise<unknown>>>;
  private readonly screen: () => Screen;

  constructor(
    handlers: InvokeHandlers<ChannelsOn<S>>,
    screen: () => S,
    private readonly log: ContractLog,
  ) {
    this.handlers = handlers as typeof this.handlers;
    this.screen = screen;
  }

  async invoke(channel: unknown, payload: unknown): Promise<InvokeOutcome> {
    if (typeof channel !== 'string' || !Object.hasOwn(invokeChannels, channel)) {
      return this.refuse(`Rejected request on unknown channel ${JSON.stringify(channel)}.`);
    }
    const name = channel as InvokeChannel;
    const screen = this.screen();
    if (!answersOn(name, screen)) {
      const answered = Object.keys(invokeChannels).filter((c) => answersOn(c as InvokeChannel, screen));
      return this.refuse(
        `Refused ${name}: the ${screen} screen answers only ${LIST.format(answered)} ` +
          '(preload/contract.ts declares the screens of each channel).',
      );
    }
    const parsed = invokeChannels[name].request.safeParse(payload);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'payload'}: ${i.message}`);
      return this.refuse(`Rejected ${name}: ${problems.join('; ')}.`);
    }
    // The screen answers this channel, so the handler table of its screens has it (the constructor's type).
    const handler = this.handlers[name]!;
    try {
      // Main checks its own answers too: a response that breaks the contract is a bug to surface, not to ship.
      return { ok: true, result: invokeChannels[name].response.parse(await handler(parsed.data)) };
    } catch (error) {
      this.log.warn(`${name} failed: ${messageOf(error)}`);
      return {
        ok: false,
        error: `CareShell could not handle ${name}; the details are in its log. Try again, or call IT.`,
      };
    }
  }

  private refuse(error: string): InvokeOutcome {
    this.log.warn(error);
    return { ok: false, error };
  }

  /** Validates an outgoing event so that both transports push only contract-shaped payloads. */
  static event<C extends EventChannel>(channel: C, payload: EventPayload<C>): EventPayload<C> {
    return eventChannels[channel].payload.parse(payload) as EventPayload<C>;
  }
}
