import { Semaphore as AsyncSemaphore } from 'async-mutex';

/**
 * The ERP clients' write slots: async-mutex's semaphore (first in, first out) with the two things the clients ask of
 * it, a permit given back by calling a function (a second call is ignored) and how many permits are held now.
 */
export class Semaphore {
  private readonly inner: AsyncSemaphore;

  constructor(private readonly permits: number) {
    if (!Number.isInteger(permits) || permits < 1) throw new RangeError(`permits must be a positive integer, got ${permits}`);
    this.inner = new AsyncSemaphore(permits);
  }

  /** Waits for a permit; call the returned function to give it back. */
  async acquire(): Promise<() => void> {
    const [, release] = await this.inner.acquire();
    return release;
  }

  get inUse(): number {
    return this.permits - this.inner.getValue();
  }
}
