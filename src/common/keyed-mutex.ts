import { Mutex } from 'async-mutex';

/**
 * One holder per key at a time (e.g. per customer e-mail), so two concurrent pipelines of one process never
 * both decide "not found, create" for the same thing: one async-mutex Mutex per key, forgotten once nobody holds or
 * waits for it.
 */
export class KeyedMutex {
  private readonly locks = new Map<string, { mutex: Mutex; users: number }>();

  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    let lock = this.locks.get(key);
    if (lock === undefined) {
      lock = { mutex: new Mutex(), users: 0 };
      this.locks.set(key, lock);
    }
    lock.users++;
    try {
      return await lock.mutex.runExclusive(fn);
    } finally {
      if (--lock.users === 0) this.locks.delete(key);
    }
  }

  /** Keys currently held or awaited (for tests). */
  get size(): number {
    return this.locks.size;
  }
}
