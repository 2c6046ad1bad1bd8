import { RetryableError } from '../common/errors.js';
import type { AckResult, LeasedEvent } from '../wp/schemas.js';
import type { Decision } from './retry/classify.js';
import type { PipelineResult } from './pipeline.js';

/** Seconds for `retry_after_seconds` (WordPress accepts 0..86400), rounded up so Retry-After is never shortened. */
export function toRetrySeconds(ms: number): number {
  return Math.min(86_400, Math.max(0, Math.ceil(ms / 1000)));
}

/** The done ack; `refs.erp_counted` was set by the pipeline from the ERP's state (src/engine/pipeline.ts refsOf). */
export function doneAck(event: LeasedEvent, result: PipelineResult): AckResult {
  return { id: event.id, lease_token: event.lease_token, outcome: 'done', refs: { ...result.refs } };
}

/** Codes of events given back without being tried: WordPress does not count them as attempts. */
export const UNTRIED_CODES: readonly string[] = ['sidecar_shutdown', 'lease_expiring', 'circuit_open', 'order_unavailable'];

export function isUntried(code: string): boolean {
  return UNTRIED_CODES.includes(code);
}

export function decisionAck(event: LeasedEvent, decision: Decision): AckResult {
  const base = { id: event.id, lease_token: event.lease_token };
  const error = { code: decision.error.code, message: decision.error.message.slice(0, 2000), ...(decision.error.details ? { details: decision.error.details } : {}) };
  return decision.kind === 'retry'
    ? { ...base, outcome: 'retry', retry_after_seconds: toRetrySeconds(decision.delayMs), error }
    : { ...base, outcome: 'needs_human', error };
}

/** Gives an unstarted event back without trying it (shutdown, open circuit, lease about to expire). */
export type RetryAck = Extract<AckResult, { outcome: 'retry' }>;

export function deferAck(event: { id: number; lease_token: string }, delayMs: number, code: string, message: string): RetryAck {
  return { id: event.id, lease_token: event.lease_token, outcome: 'retry', retry_after_seconds: toRetrySeconds(delayMs), error: { code, message } };
}

/** True for failures that mean the ERP itself is down (they count towards the circuit breaker). */
export function isErpDown(err: unknown): boolean {
  return err instanceof RetryableError && err.options.erpDown === true;
}
