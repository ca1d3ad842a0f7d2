import {
  eventChannels,
  invokeChannels,
  type EventChannel,
  type EventPayload,
  type InvokeChannel,
  type InvokeOutcome,
  type InvokeRequest,
  type InvokeResponse,
} from '../../preload/contract.js';

export type InvokeHandlers = { [C in InvokeChannel]: (request: InvokeRequest<C>) => Promise<InvokeResponse<C>> };

export interface ContractLog {
  warn(message: string): void;
}

/**
 * The main-process end of the contract, shared by both transports (Electron IPC and the harness
 * WebSocket): nothing from the renderer reaches a handler before its channel and payload validate, and
 * every request is answered with an outcome, never a thrown error, so both transports fail the same way.
 */
export class ContractServer {
  constructor(
    private readonly handlers: InvokeHandlers,
    private readonly log: ContractLog,
  ) {}

  async invoke(channel: unknown, payload: unknown): Promise<InvokeOutcome> {
    if (typeof channel !== 'string' || !Object.hasOwn(invokeChannels, channel)) {
      const error = `Rejected request on unknown channel ${JSON.stringify(channel)}.`;
      this.log.warn(error);
      return { ok: false, error };
    }
    const name = channel as InvokeChannel;
    const parsed = invokeChannels[name].request.safeParse(payload);
    if (!parsed.success) {
      const error = `Rejected ${name}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'payload'}: ${i.message}`).join('; ')}.`;
      this.log.warn(error);
      return { ok: false, error };
    }
    const handler = this.handlers[name] as (request: unknown) => Promise<unknown>;
    try {
      // Main checks its own answers too: a response that breaks the contract is a bug to surface, not to ship.
      return { ok: true, result: invokeChannels[name].response.parse(await handler(parsed.data)) };
    } catch (error) {
      this.log.warn(`${name} failed: ${error instanceof Error ? error.message : String(error)}`);
      return {
        ok: false,
        error: `CareShell could not handle ${name}; the details are in its log. Try again, or call IT.`,
      };
    }
  }

  /** Validates an outgoing event so that both transports push only contract-shaped payloads. */
  static event<C extends EventChannel>(channel: C, payload: EventPayload<C>): EventPayload<C> {
    return eventChannels[channel].parse(payload) as EventPayload<C>;
  }
}
