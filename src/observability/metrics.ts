import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { CircuitState } from '../engine/retry/circuit-breaker.js';

/** Prometheus metrics of one sidecar, on their own registry (served at GET /metrics). */
export interface Metrics {
  registry: Registry;
  /** Acked events by outcome: done, skipped, retry, needs_human, deferred. */
  events: Counter<'outcome'>;
  /** Duration of one order pipeline (map + ERP calls), in seconds. */
  pushDuration: Histogram<'outcome'>;
  /** 0 closed, 1 half-open, 2 open. */
  circuitState: Gauge;
  /** Order pipelines running now. */
  inflight: Gauge;
}

export const CIRCUIT_GAUGE: Record<CircuitState, number> = { closed: 0, half_open: 1, open: 2 };

export function createMetrics(withDefaults = true): Metrics {
  const registry = new Registry();
  if (withDefaults) collectDefaultMetrics({ register: registry, prefix: 'syncline_' });
  const registers = [registry];
  return {
    registry,
    events: new Counter({ name: 'syncline_events_total', help: 'Outbox events acknowledged, by outcome', labelNames: ['outcome'], registers }),
    pushDuration: new Histogram({
      name: 'syncline_push_duration_seconds', help: 'Duration of one order pipeline', labelNames: ['outcome'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60], registers,
    }),
    circuitState: new Gauge({ name: 'syncline_circuit_state', help: 'ERP circuit breaker: 0 closed, 1 half-open, 2 open', registers }),
    inflight: new Gauge({ name: 'syncline_inflight', help: 'Order pipelines running now', registers }),
  };
}
