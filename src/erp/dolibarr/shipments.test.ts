import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DolibarrClient } from './client.js';
import { dbTime, readDolibarrShipments, trackingHref } from './shipments.js';

/** The parts of a real Dolibarr 20.0.2 `GET /shipments/{id}` answer this reader uses (recorded 2026-11-30). */
const SHIPMENT = {
  id: '1', ref: 'SH2611-0001', statut: '1', status: '1', socid: '1', origin_id: '1', origin_type: 'commande', ref_customer: null, ref_ext: null,
  tracking_number: '1Z999AA10123456784', shipping_method_id: '5', shipping_method: 'UPS', date_valid: 1796080789, date_shipping: '', date_creation: 1796080784,
  tracking_url: '<a target="_blank" rel="noopener noreferrer" href="http://wwwapps.ups.com/etracking/tracking.cgi?loc=fr_FR&amp;InquiryNumber1=1Z999AA10123456784">1Z999AA10123456784</a>',
  lines: [
    { id: '1', fk_product: '1', product_ref: 'SKU-A', qty: '2', qty_shipped: '2', qty_asked: '3', fk_elementdet: '1', origin_line_id: '1', entrepot_id: '1', element_type: 'order' },
    { id: '2', fk_product: '2', product_ref: 'SKU-B', qty: '1', qty_shipped: '1', qty_asked: '2', fk_elementdet: '2', origin_line_id: '2', entrepot_id: '1', element_type: 'order' },
    { id: '3', fk_product: '1', product_ref: 'SKU-A', qty: '1', qty_shipped: '1', qty_asked: '3', fk_elementdet: '1', origin_line_id: '1', entrepot_id: '2', element_type: 'order' },
  ],
};

interface Recorded { path: string; query: URLSearchParams }

function fakeDolibarr(pages: unknown[][], orders: unknown[]): { client: DolibarrClient; calls: Recorded[] } {
  const calls: Recorded[] = [];
  const fetchImpl: typeof fetch = async (input) => {
    const url = new URL(String(input));
    const path = url.pathname.replace(/^\/api\/index\.php/, '');
    calls.push({ path, query: url.searchParams });
    const body = path === '/shipments' ? pages.shift() ?? [] : orders;
    return new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } });
  };
  return { client: new DolibarrClient({ baseUrl: 'http://erp.test/api/index.php', apiKey: 'k', timeoutMs: 1000, fetchImpl }), calls };
}

const NOW = Date.parse('2026-11-30T23:20:00Z');

describe('Dolibarr shipments changed since a cursor', () => {
  it('reads validated expeditions of orders with their order refs, lines summed per product, the tracking link unwrapped', async () => {
    const draft = { ...SHIPMENT, id: '2', ref: '(PROV2)', statut: '0' };
    const { client, calls } = fakeDolibarr([[SHIPMENT, draft]], [{ id: '1', ref_ext: 'c847439f-bcf3-5041-b1aa-599067f1d312', ref_client: 'WC-12' }]);
    const out = await readDolibarrShipments(client, null, { now: () => NOW, startLookbackSeconds: 86_400 });
    assert.equal(calls[0]?.path, '/shipments');
    assert.equal(calls[0]?.query.get('sqlfilters'), "(t.fk_statut:>:0) and (t.tms:>=:'2026-11-29 23:20:00')");
    assert.equal(calls[1]?.path, '/orders');
    assert.equal(calls[1]?.query.get('sqlfilters'), "(t.rowid:in:'1')");
    assert.deepEqual(out.shipments, [{
      id: '1', ref: 'SH2611-0001', state: 'validated',
      order: { erpId: '1', refExt: 'c847439f-bcf3-5041-b1aa-599067f1d312', refClient: 'WC-12' },
      carrier: 'UPS', trackingNumber: '1Z999AA10123456784',
      trackingUrl: 'http://wwwapps.ups.com/etracking/tracking.cgi?loc=fr_FR&InquiryNumber1=1Z999AA10123456784',
      shippedAt: 1796080789, lines: [{ ref: 'SKU-A', qty: 3 }, { ref: 'SKU-B', qty: 1 }],
    }]);
    assert.equal(out.cursor, '2026-11-30 23:20:00');
    assert.equal(out.overflow, undefined);
  });

  it('re-reads the lookback before the cursor, in the database clock', async () => {
    const { client, calls } = fakeDolibarr([[]], []);
    const out = await readDolibarrShipments(client, '2026-11-30 23:00:00', { now: () => NOW, lookbackSeconds: 600, dbUtcOffsetMinutes: 60 });
    assert.match(calls[0]?.query.get('sqlfilters') ?? '', /'2026-11-30 22:50:00'/);
    assert.equal(out.cursor, '2026-12-01 00:20:00', 'the next cursor is now in the database clock (UTC+1)');
    assert.equal(calls.length, 1, 'no order lookup without shipments');
  });

  it('an incomplete read keeps the cursor and says overflow', async () => {
    const page = Array.from({ length: 2 }, (_, i) => ({ ...SHIPMENT, id: String(i + 10) }));
    const { client } = fakeDolibarr([page, page], [{ id: '1', ref_ext: null, ref_client: null }]);
    const out = await readDolibarrShipments(client, '2026-11-30 23:00:00', { now: () => NOW, pageSize: 2, maxPages: 2 });
    assert.equal(out.overflow, true);
    assert.equal(out.cursor, '2026-11-30 23:00:00');
    assert.equal(out.shipments.length, 4);
  });

  it('formats times and tracking links defensively', () => {
    assert.equal(dbTime(NOW, -300), '2026-11-30 18:20:00');
    assert.equal(trackingHref(null), null);
    assert.equal(trackingHref('<a href="javascript:alert(1)">x</a>'), null);
    assert.equal(trackingHref('https://track.example/?n=1'), 'https://track.example/?n=1');
  });
});
