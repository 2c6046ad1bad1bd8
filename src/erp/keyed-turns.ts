/**
 * Runs work for one key at a time, in call order, and tells each run whether this key ran before (among the last
 * `remember` keys). Different keys never wait for each other. A failed run does not block the next one.
 */
export class KeyedTurns<K> {
  private readonly tails = new Map<K, Promise<unknown>>();
  private readonly seen = new Set<K>();

  constructor(private readonly remember: number) {}

  async run<T>(key: K, fn: (seenBefore: boolean) => Promise<T>): Promise<T> {
    const previous = this.tails.get(key);
    const mine = (async (): Promise<T> => {
      if (previous) await previous.catch(() => undefined);
      const seenBefore = this.seen.has(key);
      this.note(key);
      return fn(seenBefore);
    })();
    this.tails.set(key, mine);
    try {
      return await mine;
    } finally {
      if (this.tails.get(key) === mine) this.tails.delete(key);
    }
  }

  private note(key: K): void {
    this.seen.delete(key);
    this.seen.add(key);
    if (this.seen.size > this.remember) {
      const oldest = this.seen.values().next();
      if (!oldest.done) this.seen.delete(oldest.value);
    }
  }
}
