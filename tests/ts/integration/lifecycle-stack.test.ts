/**
 * Issue 8 end to end: real WordPress + WooCommerce + MariaDB, the bundled sidecar (build/sidecar.cjs) and the real
 * Dolibarr 20.0.2. A checkout is pushed (the ERP's sales order validated, its stock out), then cancelled in
 * WooCommerce: the sidecar withdraws the Dolibarr order (stock booked back there), and the shop's available-to-sell
 * comes back and stays back after the next stock pull (before issue 8 the pull took the unit away again).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Stack } from '../support/stack.js';

interface Stored { meta: Record<string, string> }

describe('cancellation through WordPress: stock back in the ERP and in the shop (issue 8)', () => {
  let stack: Stack;
  const sku = 'LC-CANCEL';
  before(async () => {
    stack = await Stack.start({ name: 'lifecycle', port: 18213, products: [sku] });
    await stack.testApi('POST', '/products/bulk', { items: [{ sku, stock: 100 }] });
  });
  after(async () => stack?.stop());

  const shop = async (): Promise<number> => Number(((await stack.testApi('POST', '/products/by-sku', { sku })).product as Stored).meta['_stock']);

  it('a cancelled order gives its stock back in Dolibarr and in the shop, and the next pull keeps it', async () => {
    // Paid (payment_complete reduces the shop's stock), as a checkout does.
    const id = Number((await stack.createOrder({
      set_paid: true, status: 'processing', line_items: [{ sku, quantity: 2 }],
      billing: { first_name: 'Can', last_name: 'Cel', email: 'cancel@example.test', country: 'FR', city: 'Paris', postcode: '75001', address_1: '1 Rue' },
    })).id);
    stack.startSidecar({ erp: { timeout_ms: 15_000 }, stock: { full_interval_seconds: 2, changed_interval_seconds: 1 } });
    await stack.waitFor('the order pushed and counted by the ERP', () => stack.erp.stock(sku, 1) === 98, 90_000);
    await stack.waitFor('shop ATS 98', async () => (await shop()) === 98, 60_000);

    await stack.testApi('POST', `/orders/${id}/status`, { status: 'cancelled' });
    await stack.waitFor('the Dolibarr order withdrawn, its stock back', () => stack.erp.stock(sku, 1) === 100, 90_000);
    const erpOrder = stack.erp.orders().find((o) => o.ref_client === `WC-${id}`);
    assert.equal(erpOrder?.statut, 0, 'the Dolibarr sales order is no longer validated');
    await stack.waitFor('shop ATS back to 100', async () => (await shop()) === 100, 60_000);
    // Two more full pulls (2 s apart): the ERP no longer holds the unit, so nothing takes it away again.
    await new Promise((r) => setTimeout(r, 5_000));
    assert.equal(await shop(), 100);
    const events = stack.events(`object_id = ${id}`);
    assert.ok(events.every((e) => e.state === 'done'), JSON.stringify(events));
  });
});
