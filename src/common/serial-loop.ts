import { Mutex } from 'async-mutex';

/**
 * A sync's background schedule (stock, products, shipments): `start()` runs `loop` once (it returns when its signal
 * aborts), passes run one at a time in the order asked (`serial`, an async-mutex Mutex: a failed pass does not stop
 * the next), and `stop()` aborts the loop, then waits for it and for the passes under way or queued.
 */
export class SerialLoop {
  private readonly mutex = new Mutex();
  private readonly stopCtl = new AbortController();
  private done: Promise<void> | undefined;

  constructor(private readonly loop: (signal: AbortSignal) => Promise<void>) {}

  start(): void {
    this.done ??= this.loop(this.stopCtl.signal);
  }

  async stop(): Promise<void> {
    this.stopCtl.abort();
    await this.done;
    await this.mutex.waitForUnlock();
  }

  serial<T>(work: () => Promise<T>): Promise<T> {
    return this.mutex.runExclusive(work);
  }
}
