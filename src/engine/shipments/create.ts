import type { Logger } from 'pino';
import type { Clock } from '../../common/clock.js';
import type { SidecarConfig } from '../../config/index.js';
import type { ErpAdapter } from '../../ports/erp.js';
import type { WpShipmentsApi } from '../../wp/client.js';
import { ShipmentSync } from './sync.js';

/** The shipments loop when `shipments.enabled` and the adapter can read shipments (the sidecar's composition root). */
export function createShipmentSync(
  config: Pick<SidecarConfig, 'shipments' | 'erp'>,
  deps: { adapter: ErpAdapter; wp: WpShipmentsApi; clock: Clock; logger: Logger },
): ShipmentSync | undefined {
  const s = config.shipments;
  const read = deps.adapter.readShipments?.bind(deps.adapter);
  if (!s.enabled || !read) return undefined;
  deps.logger.info({ interval_seconds: s.interval_seconds, lookback_seconds: s.lookback_seconds }, 'shipments sync on');
  return new ShipmentSync(
    { erp: deps.adapter.name, intervalMs: s.interval_seconds * 1000, refClientPrefix: config.erp.ref_client_prefix },
    { adapter: { readShipments: read }, wp: deps.wp, clock: deps.clock, logger: deps.logger },
  );
}
