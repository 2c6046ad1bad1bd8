/**
 * Shipments back to WooCommerce through the bundled sidecar: real WordPress + WooCommerce + MariaDB, the real
 * Dolibarr 20.0.2 (expeditions created and validated through its own REST API), build/sidecar.cjs.
 * An order of 3 × A and 2 × B is pushed; a first expedition (2 × A, 1 × B, UPS, a tracking number) makes the
 * WooCommerce order "Partially shipped" with what is still to ship; the rest (another tracking number) completes it,
 * both tracking numbers on the order and in the customer's notes; a fresh sidecar (no memory, reading the whole
 * start window again) applies nothing twice.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RUN } from '../../../scripts/env/wp-env.js';
import { orderBody } from '../support/orders.js';
import { Stack } from '../support/stack.js';

interface WcState { status: string; ledger: Record<string, { ref: string; tracking_number: string | null; carrier: string | null; lines: Record<string, number> }>; customer: string[]; staff: string[] }

describe('shipments from the real Dolibarr to WooCommerce', () => {
  let stack: Stack;
  const skus = ['SHIP-A', 'SHIP-B'];
  let orderId = 0;
  let erpOrder: { id: number; socid: number; lines: Record<string, number> } | undefined;
  let afterRest: WcState | undefined;

  before(async () => {
    stack = await Stack.start({ name: 'shipments', port: 18221, products: skus });
    await stack.testApi('POST', '/products/bulk', { items: skus.map((sku) => ({ sku, stock: 50 })) });
  });
  after(async () => stack?.stop());

  /** The ERP's REST API (through the fault proxy, which only relays). */
  const api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${stack.erp.url}${path}`, {
      method, headers: { DOLAPIKEY: stack.erp.apiKey, 'Content-Type': 'application/json', Accept: 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    assert.ok(res.status < 300, `${method} ${path}: ${res.status} ${text}`);
    return JSON.parse(text) as T;
  };

  /**
   * An expedition of the order's lines, validated (Dolibarr 20.0.2 wants `notrigger` as an integer), made while no
   * sidecar runs: on this busy machine the real Dolibarr held shipment reads for minutes when they overlapped the
   * validation (seen in its server log; not understood yet, see docs/ARCHITECTURE.md), and the sidecar then reads it
   * from its start window, as after any restart.
   */
  const ship = async (qty: Record<string, number>, tracking: string): Promise<number> => {
    assert.ok(erpOrder);
    await stack.stopSidecars();
    const lines = Object.entries(qty).map(([sku, n], i) => ({ entrepot_id: 1, origin_line_id: erpOrder?.lines[sku], qty: n, rang: i + 1 }));
    const id = await api<number>('POST', '/shipments', {
      socid: erpOrder.socid, origin: 'commande', origin_type: 'commande', origin_id: erpOrder.id, shipping_method_id: 5, tracking_number: tracking, lines,
    });
    await api('POST', `/shipments/${id}/validate`, { notrigger: 0 });
    startSidecar();
    return id;
  };

  const wcState = (): WcState => {
    const php = `$o = wc_get_order(${orderId});
      $notes = static fn ($t) => array_values(array_map(static fn ($n) => $n->content, wc_get_order_notes(array('order_id' => ${orderId}, 'type' => $t))));
      echo wp_json_encode(array('status' => $o->get_status(), 'ledger' => json_decode((string) $o->get_meta('_syncline_shipments'), true) ?: new stdClass(),
        'customer' => $notes('customer'), 'staff' => array_values(array_filter($notes('internal'), static fn ($n) => str_contains($n, 'still to ship')))));`;
    return JSON.parse(stack.wp(['eval', php])) as WcState;
  };

  // Right after a validation the real Dolibarr 20.0.2 may hold reads of shipments for up to a minute on a busy machine
  // (its lock wait): a poll must not give up before that.
  const startSidecar = (): void => void stack.startSidecar({ erp: { timeout_ms: 60_000 }, shipments: { interval_seconds: 2 } });

  /** The sidecar log (one file per sidecar slot: a restarted sidecar appends to it). */
  const sidecarLog = (): string => readFileSync(join(RUN, 'sidecars', `${stack.name}-0.log`), 'utf8');

  it('pushes the order to the ERP', async () => {
    const order = await stack.createOrder(orderBody([{ sku: 'SHIP-A', qty: 3, unit: 1000 }, { sku: 'SHIP-B', qty: 2, unit: 1500 }]));
    orderId = Number(order.id);
    assert.ok(orderId > 0, JSON.stringify(order));
    startSidecar();
    await stack.waitFor('the ERP order validated', () => stack.erp.findOrderByRefClient(`WC-${orderId}`)?.statut === 1, 240_000);
    const found = stack.erp.findOrderByRefClient(`WC-${orderId}`);
    assert.ok(found);
    const full = await api<{ id: string; socid: string; lines: Array<{ id: string; product_ref: string | null }> }>('GET', `/orders/${found.id}`);
    erpOrder = { id: Number(full.id), socid: Number(full.socid), lines: Object.fromEntries(full.lines.filter((l) => l.product_ref).map((l) => [l.product_ref, Number(l.id)])) };
    assert.deepEqual(Object.keys(erpOrder.lines).sort(), skus);
  });

  it('a first expedition makes the order partially shipped, with its tracking number and what is still to ship', async () => {
    await ship({ 'SHIP-A': 2, 'SHIP-B': 1 }, '1ZPART0001');
    await stack.waitFor('partially shipped', () => wcState().status === 'partially-shipped', 240_000);
    const s = wcState();
    const shipments = Object.values(s.ledger);
    assert.equal(shipments.length, 1);
    assert.equal(shipments[0]?.tracking_number, '1ZPART0001');
    assert.equal(shipments[0]?.carrier, 'UPS');
    assert.deepEqual(shipments[0]?.lines, { 'SHIP-A': 2, 'SHIP-B': 1 });
    assert.equal(s.customer.length, 1);
    assert.match(s.customer[0] ?? '', /Part of your order has shipped .*1ZPART0001.*Still to ship: 1 × .*, 1 × /);
    assert.equal(s.staff.length, 1, 'the backordered lines are noted for the staff');
  });

  it('the rest completes the order with both tracking numbers', async () => {
    await ship({ 'SHIP-A': 1, 'SHIP-B': 1 }, '1ZREST0002');
    await stack.waitFor('completed', () => wcState().status === 'completed', 240_000);
    afterRest = wcState();
    assert.deepEqual(Object.values(afterRest.ledger).map((r) => r.tracking_number).sort(), ['1ZPART0001', '1ZREST0002']);
    assert.equal(afterRest.customer.length, 2);
    assert.match(afterRest.customer[0] ?? '', /Your order has shipped .*1ZREST0002/);
  });

  it('a replay by a fresh sidecar applies nothing twice', async () => {
    await stack.stopSidecars();
    const from = sidecarLog().length;
    startSidecar();
    const polls = (): string[] => sidecarLog().slice(from).split('\n').filter((l) => l.includes('shipments poll done'));
    await stack.waitFor('the fresh sidecar re-sent both shipments', () => polls().some((l) => /"unchanged":2/.test(l)), 240_000);
    assert.deepEqual(wcState(), afterRest, 'status, ledger and notes unchanged');
    assert.ok(polls().every((l) => !/"applied":/.test(l)), polls().join('\n'));
  });
});
