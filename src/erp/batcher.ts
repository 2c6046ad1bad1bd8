/**
 * Coalesces lookups of different keys made within `windowMs` of each other into one call of `load` (a tiny
 * DataLoader). `load` gets each key once and answers a value for every key it was given; its failure fails every
 * caller of that batch. A batch also goes out as soon as it holds `maxKeys` keys.
 */
export class Batcher<K, V> {
  private pending = new Map<K, Array<{ resolve: (v: V) => void; reject: (e: unknown) => void }>>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly load: (keys: K[]) => Promise<Map<K, V>>,
    private readonly opts: { windowMs: number; maxKeys: number },
  ) {}

  /** Loads `key` with the keys asked within the window (`windowMs` overrides it when this key opens the batch). */
  get(key: K, windowMs = this.opts.windowMs): Promise<V> {
    return this.enqueue(key, false, windowMs);
  }

  /** Loads `key` at once, together with every key already waiting for the window (which it serves early). */
  getNow(key: K): Promise<V> {
    return this.enqueue(key, true, 0);
  }

  private enqueue(key: K, now: boolean, windowMs: number): Promise<V> {
    return new Promise<V>((resolve, reject) => {
      const waiting = this.pending.get(key) ?? [];
      waiting.push({ resolve, reject });
      this.pending.set(key, waiting);
      if (now || this.pending.size >= this.opts.maxKeys) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), windowMs);
    });
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    this.pending = new Map();
    this.load([...batch.keys()]).then((values) => {
      for (const [key, waiting] of batch) {
        const value = values.get(key);
        for (const w of waiting) {
          if (value === undefined) w.reject(new Error('batch load gave no value for a key'));
          else w.resolve(value);
        }
      }
    }, (err: unknown) => {
      for (const waiting of batch.values()) for (const w of waiting) w.reject(err);
    });
  }
}
