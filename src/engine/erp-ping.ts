import type { Logger } from 'pino';
import { NeedsHumanError } from '../common/errors.js';
import type { ErpAdapter } from '../ports/erp.js';
import type { PipelineResult } from './pipeline.js';

/** The topic WordPress records when an admin clicks "Test connection" (Settings tab). */
export const ERP_PING_TOPIC = 'erp.ping';

export interface ErpPingDeps {
  adapter: ErpAdapter;
  logger: Logger;
  /** Values that must never reach WordPress (the ERP API key), replaced in the error message. */
  secrets?: string[];
  /** Milliseconds, monotonic; defaults to performance.now(). */
  now?: () => number;
}

/**
 * Answers an `erp.ping` event: one `adapter.ping()` through the sidecar's own ERP config. Success is a `done` ack
 * carrying the ERP version and the round trip; any failure is needs-human `erp_connection_failed` with the
 * error's admin-readable message (not retried, and not counted towards the circuit breaker: an admin is waiting).
 */
export async function runErpPing({ adapter, logger, secrets = [], now = () => performance.now() }: ErpPingDeps): Promise<PipelineResult> {
  const t0 = now();
  try {
    const { version } = await adapter.ping();
    const ms = Math.max(0, Math.round(now() - t0));
    logger.info({ version, ms }, 'erp ping answered');
    return { refs: { erp: adapter.name, documents: [], steps: [], reason: 'erp_ping_ok', version, ms }, pushed: false };
  } catch (e) {
    const ms = Math.max(0, Math.round(now() - t0));
    const cause = e instanceof Error && e.message !== '' ? e.message : String(e);
    const code = e !== null && typeof e === 'object' && 'code' in e && typeof e.code === 'string' ? e.code : 'unexpected';
    const message = hide(`The sidecar could not reach the ERP (${adapter.name}): ${cause}`, secrets);
    logger.warn({ code, ms }, 'erp ping failed');
    throw new NeedsHumanError('erp_connection_failed', message, { erp: adapter.name, cause_code: code, ms });
  }
}

function hide(text: string, secrets: string[]): string {
  let out = text;
  for (const s of secrets) {
    if (s.length >= 4) out = out.split(s).join('<redacted>').split(encodeURIComponent(s)).join('<redacted>');
  }
  return out;
}
