import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { FakeClock } from '../../common/fake-clock.js';
import type { ErpShipment, ShipmentChanges } from '../../ports/erp.js';
import type { WpShipmentsApi } from '../../wp/client.js';
import type { ShipmentApplyRequest, ShipmentApplyResponse } from '../../wp/shipments.js';
import { orderIdOf, toWire } from './mapping.js';
import { ShipmentSync } from './sync.js';

const logger = pino({ level: 'silent' });
const REF_EXT = 'c847439f-bcf3-5041-b1aa-599067f1d312';

const shipment = (id: string, o: Partial<ErpShipment> = {}): ErpShipment => ({
  id, ref: `SH-${id}`, state: 'validated', order: { erpId: '7', refExt: REF_EXT, refClient: 'WC-12' },
  carrier: 'UPS', trackingNumber: `T${id}`, trackingUrl: null, shippedAt: 1796080789, lines: [{ ref: 'A', qty: 2 }], ...o,
});

describe('ERP shipment → wire item', () => {
  it('sends shipments of our orders with the WooCommerce order id from the customer reference', () => {
    const d = toWire(shipment('1', { carrier: ' UPS\u0007 ', lines: [{ ref: 'A', qty: 2 }, { ref: 'KG', qty: 1.5 }] }), 'WC-');
    assert.equal(d.kind, 'send');
    if (d.kind !== 'send') return;
    assert.deepEqual(d.item, {
      shipment_id: '1', ref: 'SH-1', order_id: 12, correlation_id: REF_EXT, state: 'validated', carrier: 'UPS',
      tracking_number: 'T1', tracking_url: null, shipped_at: 1796080789, lines: [{ ref: 'A', qty: 2 }],
    });
  });

  it('skips foreign orders and shipments without whole product units', () => {
    assert.deepEqual(toWire(shipment('1', { order: { erpId: '7', refExt: null, refClient: 'WC-12' } }), 'WC-'), { kind: 'skip', reason: 'foreign_order' });
    assert.deepEqual(toWire(shipment('1', { order: { erpId: '7', refExt: REF_EXT, refClient: 'SHOP2-12' } }), 'WC-'), { kind: 'skip', reason: 'foreign_order' });
    assert.deepEqual(toWire(shipment('1', { lines: [{ ref: 'KG', qty: 0.5 }] }), 'WC-'), { kind: 'skip', reason: 'no_product_lines' });
    assert.equal(orderIdOf('WC-0012', 'WC-'), null);
    assert.equal(orderIdOf('WC-12a', 'WC-'), null);
    assert.equal(orderIdOf('WC-99', 'WC-'), 99);
  });
});

class FakeWp implements WpShipmentsApi {
  requests: ShipmentApplyRequest[] = [];
  fail: Error | undefined;
  async applyShipments(request: ShipmentApplyRequest): Promise<ShipmentApplyResponse> {
    if (this.fail) throw this.fail;
    this.requests.push(request);
    return { results: request.shipments.map((s) => ({ shipment_id: s.shipment_id, order_id: s.order_id, outcome: 'applied' as const })) };
  }
}

function setup(reads: ShipmentChanges[]): { sync: ShipmentSync; wp: FakeWp; cursors: Array<string | null> } {
  const wp = new FakeWp();
  const cursors: Array<string | null> = [];
  const adapter = { readShipments: async (c: string | null): Promise<ShipmentChanges> => { cursors.push(c); return reads.shift() ?? { shipments: [], cursor: c ?? 'c0' }; } };
  return { sync: new ShipmentSync({ erp: 'dolibarr', intervalMs: 1000, refClientPrefix: 'WC-' }, { adapter, wp, clock: new FakeClock(), logger }), wp, cursors };
}

describe('ShipmentSync', () => {
  it('sends new and changed shipments only, and moves the cursor after a successful poll', async () => {
    const { sync, wp, cursors } = setup([
      { shipments: [shipment('1'), shipment('2', { order: { erpId: '8', refExt: null, refClient: null } })], cursor: 'c1' },
      { shipments: [shipment('1')], cursor: 'c2' },
      { shipments: [shipment('1', { trackingNumber: 'LATE' })], cursor: 'c3' },
    ]);
    const first = await sync.poll();
    assert.deepEqual({ read: first.read, skipped: first.skipped, sent: first.sent }, { read: 2, skipped: 1, sent: 1 });
    assert.equal((await sync.poll()).sent, 0, 'the same content is not sent again');
    assert.equal((await sync.poll()).sent, 1, 'a changed tracking number is');
    assert.deepEqual(cursors, [null, 'c1', 'c2']);
    assert.equal(wp.requests.length, 2);
    assert.equal(wp.requests[1]?.shipments[0]?.tracking_number, 'LATE');
  });

  it('a failed apply keeps the cursor: the same window is read and sent again', async () => {
    const { sync, wp, cursors } = setup([{ shipments: [shipment('1')], cursor: 'c1' }, { shipments: [shipment('1')], cursor: 'c1' }]);
    wp.fail = new Error('WordPress down');
    await assert.rejects(sync.poll(), /WordPress down/);
    wp.fail = undefined;
    assert.equal((await sync.poll()).sent, 1);
    assert.deepEqual(cursors, [null, null]);
  });

  it('sends at most 100 shipments per request', async () => {
    const many = Array.from({ length: 230 }, (_, i) => shipment(String(i + 1)));
    const { sync, wp } = setup([{ shipments: many, cursor: 'c1' }]);
    assert.equal((await sync.poll()).sent, 230);
    assert.deepEqual(wp.requests.map((r) => r.shipments.length), [100, 100, 30]);
  });
});

describe('ShipmentSync loop', () => {
  it('backs off after failed polls and polls at the interval again after a success', async () => {
    const clock = new FakeClock();
    let calls = 0;
    const adapter = {
      readShipments: async (c: string | null): Promise<ShipmentChanges> => {
        calls++;
        if (calls <= 3) throw new Error('ERP slow');
        return { shipments: [], cursor: c ?? 'c' };
      },
    };
    const sync = new ShipmentSync({ erp: 'dolibarr', intervalMs: 1000, refClientPrefix: 'WC-' }, { adapter, wp: new FakeWp(), clock, logger });
    sync.start();
    while (clock.sleeps.length < 5) await new Promise((r) => setImmediate(r));
    await sync.stop();
    assert.deepEqual(clock.sleeps.slice(0, 5), [2000, 4000, 8000, 1000, 1000]);
  });
});
