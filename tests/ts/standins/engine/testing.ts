import type { LeasedEvent } from '../../../../src/wp/schemas.js';

let nextId = 1;

/** A leased event as WordPress would send it, carrying `order` (a wc/v3 order, or null when deleted). */
export function leasedEvent(order: unknown, o: Partial<LeasedEvent> & { skuMap?: Record<string, string> } = {}): LeasedEvent {
  const id = o.id ?? nextId++;
  const { skuMap, ...rest } = o;
  return {
    id,
    topic: 'order.created',
    object_type: 'order',
    object_id: order !== null && typeof order === 'object' ? Number((order as { id?: unknown }).id ?? 0) : 0,
    correlation_id: `corr-${id}`,
    attempts: 1,
    lease_token: String(id).padStart(32, '0'),
    leased_until: Math.floor(Date.now() / 1000) + 60,
    created_at: Math.floor(Date.now() / 1000),
    payload: { order, sku_map: skuMap ?? {} },
    ...rest,
  };
}
