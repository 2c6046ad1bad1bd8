/**
 * Issue 8: the admin's order trace shows each step's ERP document with a link into the ERP. End to end in
 * Chromium: real WordPress 7 + WooCommerce 11, the bundled sidecar and the real Dolibarr 20.0.2 (behind the fault
 * proxy); a completed bank-transfer order is pushed (customer, sales order, invoice, payment), then its trace is
 * opened and every document's link is followed to the Dolibarr page of that very document.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { sql } from '../../scripts/env/wp-env.js';
import { Stack } from '../ts/support/stack.js';
import { launch, login, shot, syncline } from './helpers.js';

const PORT = Number(process.env.SYNCLINE_E2E_TRACE_PORT ?? 18403);
const SKU = 'TRACE-A';

describe('The order trace links every ERP document into Dolibarr (issue 8)', () => {
  let stack: Stack;
  let browser: Browser;
  let admin: Page;
  let orderId = 0;

  before(async () => {
    stack = await Stack.start({ name: 'e2etrace', port: PORT, products: [SKU] });
    await stack.testApi('POST', '/products/bulk', { items: [{ sku: SKU, stock: 10 }] });
    // The admin's payment-method mapping (Syncline → Mappings): bank transfers are Dolibarr's VIR into account 1.
    sql(`INSERT INTO \`${stack.site.db}\`.wp_syncline_mappings (type, wc_key, erp_value, updated_at, updated_by)
      VALUES ('payment_method', 'bacs', 'VIR:1', UNIX_TIMESTAMP(), 1) ON DUPLICATE KEY UPDATE erp_value = VALUES(erp_value)`);
    orderId = Number((await stack.createOrder({
      set_paid: true, status: 'completed', payment_method: 'bacs', payment_method_title: 'Direct bank transfer', line_items: [{ sku: SKU, quantity: 1 }],
      billing: { first_name: 'Tra', last_name: 'Ce', email: 'trace@example.test', country: 'FR', city: 'Lyon', postcode: '69001', address_1: '2 Rue' },
    })).id);
    stack.startSidecar({ erp: { timeout_ms: 15_000 } });
    await stack.waitFor('the order pushed, invoiced and paid', () => {
      const ev = stack.events(`object_id = ${orderId}`);
      const held = ev.filter((e) => e.state === 'needs_human');
      if (held.length > 0) throw new Error(`the order was held: ${held.map((e) => `${e.last_error_code}: ${e.last_error_message}`).join('; ')}`);
      return ev.length > 0 && ev.every((e) => e.state === 'done');
    }, 120_000);
    browser = await launch();
    admin = await login(browser, stack, 'admin', 'password');
  });

  after(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('shows the customer, sales order, invoice and payment, each linked to its own Dolibarr page', async () => {
    await admin.goto(syncline(stack, 'trace', `&order=${orderId}`));
    await admin.getByRole('heading', { name: `Trace of order #${orderId}` }).waitFor();
    const links = admin.locator('.syncline-docs li');
    await links.first().waitFor();
    const docs = await links.evaluateAll((lis) => lis.map((li) => ({ text: li.textContent ?? '', href: li.querySelector('a')?.getAttribute('href') ?? '' })));
    await shot(admin, 'trace-erp-links');
    const byType = (t: string) => docs.find((d) => d.text.startsWith(`${t}:`));
    const erpOrder = stack.erp.orders().find((o) => o.ref_client === `WC-${orderId}`);
    assert.ok(erpOrder, 'the sales order is in Dolibarr');
    const web = stack.erp.url.replace(/\/api\/index\.php.*$/, '');
    assert.equal(byType('sales_order')?.href, `${web}/commande/card.php?id=${erpOrder.id}`);
    assert.match(byType('sales_order')?.text ?? '', new RegExp(erpOrder.ref));
    assert.match(byType('customer')?.href ?? '', new RegExp(`^${web}/societe/card\\.php\\?socid=\\d+$`));
    assert.match(byType('invoice')?.href ?? '', new RegExp(`^${web}/compta/facture/card\\.php\\?id=\\d+$`));
    assert.match(byType('payment')?.href ?? '', new RegExp(`^${web}/compta/paiement/card\\.php\\?ref=`));
    // What each event's push did: the first did the work, the checkout's other events went with it.
    const timeline = await admin.locator('.syncline-timeline').innerText();
    assert.match(timeline, /Done in the ERP: .*sales_order.*validate_order/);
    assert.match(timeline, /Sent with event #\d+: that push read the order after this change\./);
    // Each link leads to Dolibarr itself (its login page, for a browser not signed in to Dolibarr).
    for (const d of docs) {
      const res = await fetch(d.href);
      assert.equal(res.status, 200, `${d.text} → ${d.href}`);
      assert.match(await res.text(), /Dolibarr/, `${d.href} is a Dolibarr page`);
    }
  });
});
