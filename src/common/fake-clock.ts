import type { Clock } from './clock.js';

/** A manual clock for tests: `sleep` resolves at once and advances time by the requested amount. */
export class FakeClock implements Clock {
  readonly sleeps: number[] = [];
  constructor(public ms = 1_700_000_000_000) {}
  now(): number {
    return this.ms;
  }
  advance(ms: number): void {
    this.ms += ms;
  }
  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.ms += Math.max(0, ms);
    await new Promise<void>((r) => setImmediate(r));
  }
}
