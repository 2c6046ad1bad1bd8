/**
 * Lease fencing: a pipeline runs inside the fence of its event's lease, and every ERP write asks the fence first.
 * A worker whose lease on an event has expired or was refused on renewal must never start a write for it (another
 * worker may hold the event now). The consumer installs the fence (`withFence`) around one event's pipeline; the ERP
 * clients call `assertLeaseHeld()` after they obtained their write slot and immediately before sending a write.
 * Outside a fence (stock pulls, pings, tests) the check passes.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

/** The lease of the current event is gone: stop, write nothing, do not ack (WordPress would refuse it anyway). */
export class LeaseLostError extends Error {
  override readonly name = 'LeaseLostError';
  readonly code = 'lease_lost';
}

export interface Fence {
  /** Throws LeaseLostError when the lease is not (or no longer surely) held. */
  assertHeld(): void;
}

const current = new AsyncLocalStorage<Fence>();

/** Runs `fn` with `fence` guarding every ERP write it makes (also across awaits). */
export function withFence<T>(fence: Fence, fn: () => Promise<T>): Promise<T> {
  return current.run(fence, fn);
}

/** Called by ERP clients right before a write; a no-op outside a fence. */
export function assertLeaseHeld(): void {
  current.getStore()?.assertHeld();
}

/** True for a LeaseLostError, also when another error carries it as its `cause` (a client that wraps errors). */
export function isLeaseLost(e: unknown): boolean {
  for (let cur: unknown = e, depth = 0; cur instanceof Error && depth < 5; cur = cur.cause, depth++) {
    if (cur instanceof LeaseLostError) return true;
  }
  return false;
}
