/**
 * Bulk SQL seed of the admin benchmark (MariaDB's sequence engine, one INSERT … SELECT per table):
 *   - N outbox events: 70 % done, 20 % needs_human in pairs (order.created + order.status_changed of one order with
 *     one reason: one exception row per pair), 5 % pending, 5 % discarded; each with one event-log line;
 *   - M SKU mappings BENCH-000001 … with one audit line each (the mapping history), plus 10 other mappings.
 */
import { sql } from '../scripts/env/wp-env.js';

export interface Seeded { ms: number; counts: Record<string, number> }

export function seed(db: string, events: number, skus: number): Seeded {
  const t0 = Date.now();
  const d = '`' + db + '`';
  const p = `${d}.wp_syncline_`;
  // state by seq % 20: 0–13 done, 14–17 needs_human, 18 pending, 19 discarded. Exceptions come in pairs: seq and
  // seq + 1 of one order (object_id = seq div 2) with the same reason.
  sql(`INSERT INTO ${p}events (topic, object_type, object_id, correlation_id, state, pending_key, attempts, available_at,
      last_error_code, last_error_message, last_error_details, created_at, updated_at)
    SELECT IF(seq % 2 = 0, 'order.created', 'order.status_changed'), 'order', 100000 + (seq DIV 2), UUID(),
      CASE WHEN seq % 20 < 14 THEN 'done' WHEN seq % 20 < 18 THEN 'needs_human' WHEN seq % 20 = 18 THEN 'pending' ELSE 'discarded' END,
      IF(seq % 20 = 18, CONCAT('order:', 100000 + (seq DIV 2), ':', seq), NULL), IF(seq % 20 BETWEEN 14 AND 17, 3, 0), 0,
      IF(seq % 20 BETWEEN 14 AND 17, ELT(1 + (seq DIV 20) % 4, 'unmapped_sku', 'erp_rejected', 'customer_invalid', 'duplicate_in_erp'), NULL),
      IF(seq % 20 BETWEEN 14 AND 17, CONCAT('SKU BENCH-', seq DIV 2, ' has no ERP product'), NULL),
      IF(seq % 20 BETWEEN 14 AND 17, CONCAT('{"sku":"BENCH-', seq DIV 2, '"}'), NULL),
      UNIX_TIMESTAMP() - (${events} - seq) * 30, UNIX_TIMESTAMP() - (${events} - seq) * 30
    FROM ${d}.seq_0_to_${events - 1};
    INSERT INTO ${p}event_log (event_id, at, kind, message, details, user_id)
      SELECT id, created_at, 'leased', '', NULL, 0 FROM ${p}events;
    INSERT INTO ${p}sku_map (wc_sku, erp_ref, updated_at, updated_by)
      SELECT CONCAT('BENCH-', LPAD(seq, 6, '0')), CONCAT('ERP-', seq), UNIX_TIMESTAMP() - seq, 1 FROM ${d}.seq_1_to_${skus};
    INSERT INTO ${p}event_log (event_id, at, kind, message, details, user_id)
      SELECT 0, UNIX_TIMESTAMP() - seq, 'sku_mapping', CONCAT('BENCH-', LPAD(seq, 6, '0'), ': ∅ → ERP-', seq),
        CONCAT('{"wc_sku":"BENCH-', LPAD(seq, 6, '0'), '","old":null,"new":"ERP-', seq, '"}'), 1 FROM ${d}.seq_1_to_${skus};
    INSERT INTO ${p}mappings (type, wc_key, erp_value, updated_at, updated_by)
      SELECT 'order_status', CONCAT('wc-bench-', seq), CONCAT('S', seq), UNIX_TIMESTAMP(), 1 FROM ${d}.seq_1_to_10;`);
  const counts = Object.fromEntries(
    sql(`SELECT state, COUNT(*) FROM ${p}events GROUP BY state`).split('\n').filter(Boolean).map((l) => {
      const [s, c] = l.split('\t');
      return [s ?? '', Number(c)];
    }),
  );
  return { ms: Date.now() - t0, counts };
}
