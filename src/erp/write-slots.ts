/**
 * An ERP client's write slots: at most `concurrency` writers at once, first come first served. A holder's nested
 * `run` shares its slot (a lookup that decides to create and the create itself happen under one slot), and
 * listeners hear when the last slot is given back (the order lookups then stop waiting for their window).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { Semaphore } from '../common/semaphore.js';

export class WriteSlots {
  private readonly permits: Semaphore;
  /** Set inside `run`: this async context already holds a slot. */
  private readonly holding = new AsyncLocalStorage<true>();
  private readonly idleListeners: Array<() => void> = [];

  constructor(concurrency = 1) {
    this.permits = new Semaphore(concurrency);
  }

  /** Runs `fn` holding one slot (or the slot this async context already holds). */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.holding.getStore()) return fn();
    const release = await this.permits.acquire();
    try {
      return await this.holding.run(true, fn);
    } finally {
      release();
      if (this.permits.inUse === 0) for (const listener of this.idleListeners) listener();
    }
  }

  /** No write holds a slot now. */
  get idle(): boolean {
    return this.permits.inUse === 0;
  }

  /** Calls `listener` whenever the last slot is given back and no write waits for one. */
  onIdle(listener: () => void): void {
    this.idleListeners.push(listener);
  }
}
