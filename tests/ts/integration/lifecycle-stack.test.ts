/**
 * Issue 8 end to end: real WordPress + WooCommerce + MariaDB, the bundled sidecar (build/sidecar.cjs) and the real
 * Dolibarr 20.0.2. A checkout is pushed (the ERP's sales order validated, its stock out), then cancelled in
 * WooCommerce: the sidecar withdraws the Dolibarr order (stock booked back there), and the shop's available-to-sell
 * comes back and stays back after the next stock pull (before issue 8 the pull took the unit away again). The same
 * after an invoice: a completed, paid order (sales order, invoice, payment in Dolibarr) cancelled in WooCommerce gets its
 * cancellation credit note and its stock back in Dolibarr and in the shop.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from '../../../scripts/env/wp-env.js';
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

  it('cancelled after its invoice: a credit note for it in Dolibarr, the stock back in Dolibarr and in the shop', async () => {
    // The admin's payment-method mapping: bank transfers are Dolibarr's VIR into account 1 (invoice at completion).
    sql(`INSERT INTO \`${stack.site.db}\`.wp_syncline_mappings (type, wc_key, erp_value, updated_at, updated_by)
      VALUES ('payment_method', 'bacs', 'VIR:1', UNIX_TIMESTAMP(), 1) ON DUPLICATE KEY UPDATE erp_value = VALUES(erp_value)`);
    const id = Number((await stack.createOrder({
      set_paid: true, status: 'completed', payment_method: 'bacs', line_items: [{ sku, quantity: 3 }],
      billing: { first_name: 'Inv', last_name: 'Oiced', email: 'invoiced@example.test', country: 'FR', city: 'Paris', postcode: '75002', address_1: '2 Rue' },
    })).id);
    const corr = stack.events(`object_id = ${id}`)[0]?.correlation_id ?? '';
    // Dolibarr's invoices and credit notes of the order (its ref_ext starts with the correlation id), as type:status:paid.
    const invoices = async (): Promise<string[]> => {
      const filter = encodeURIComponent(`(t.ref_ext:like:'${corr}%')`);
      const r = await fetch(`${stack.erp.url}/invoices?sqlfilters=${filter}&sortfield=t.rowid&sortorder=ASC`, { headers: { DOLAPIKEY: stack.erp.apiKey, Accept: 'application/json' } });
      const docs = r.status === 200 ? await r.json() as Array<{ type: string; statut: string; paye: string }> : [];
      return docs.map((d) => `${d.type}:${d.statut}:${d.paye}`);
    };
    await stack.waitFor('the order pushed, invoiced and paid; its 3 units out in Dolibarr', async () => stack.erp.stock(sku, 1) === 97 && (await invoices()).join() === '0:2:1', 90_000);
    assert.deepEqual(await invoices(), ['0:2:1'], 'one invoice, validated and paid');
    await stack.waitFor('shop ATS 97', async () => (await shop()) === 97, 60_000);

    await stack.testApi('POST', `/orders/${id}/status`, { status: 'cancelled' });
    await stack.waitFor('the sales order withdrawn and a credit note made', async () => stack.erp.stock(sku, 1) === 100 && (await invoices()).length === 2 && stack.events(`object_id = ${id} AND state <> 'done'`).length === 0, 90_000);
    assert.deepEqual(await invoices(), ['0:2:1', '2:1:0'], 'the invoice stays paid; the cancellation credit note is validated and open (WooCommerce returned no money)');
    await stack.waitFor('shop ATS back to 100', async () => (await shop()) === 100, 60_000);
    await new Promise((r) => setTimeout(r, 5_000));
    assert.equal(await shop(), 100, 'the next pulls keep it');
    const events = stack.events(`object_id = ${id}`);
    assert.ok(events.every((e) => e.state === 'done'), JSON.stringify(events));
  });
});
