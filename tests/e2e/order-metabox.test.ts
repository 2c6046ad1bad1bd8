/**
 * The Syncline box on WooCommerce's order edit screen, in Chromium, on both order storages WooCommerce 11 has:
 * HPOS (admin.php?page=wc-orders) and the legacy posts screen (post.php). It shows the order's correlation id,
 * its latest event and reason, and links to the order's trace in the Syncline screen.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { Stack, launch, login, parkOrder, shot } from './helpers.js';
import { orderBody } from '../ts/support/orders.js';

const PORT = Number(process.env.SYNCLINE_E2E_PORT ?? 18401) + 20;

for (const hpos of [true, false]) {
  const mode = hpos ? 'HPOS' : 'legacy';
  describe(`The order's Syncline box (${mode} order screen)`, () => {
    let stack: Stack;
    let browser: Browser;
    let admin: Page;
    let orderId = 0;

    before(async () => {
      stack = await Stack.start({ name: hpos ? 'e2emetahpos' : 'e2emetalegacy', port: PORT + (hpos ? 0 : 1), hpos });
      browser = await launch();
      orderId = Number((await stack.createOrder(orderBody([{ sku: 'META-NOT-IN-ERP', qty: 1, unit: 1200 }]))).id);
      parkOrder(stack, orderId, 'unmapped_sku', 'SKU META-NOT-IN-ERP has no ERP product');
      admin = await login(browser, stack, 'admin', 'password');
    });

    after(async () => {
      await browser?.close();
      await stack?.stop();
    });

    it('shows the correlation id, the latest event with its reason, and opens the order trace', async () => {
      const edit = hpos
        ? `${stack.site.url}/wp-admin/admin.php?page=wc-orders&action=edit&id=${orderId}`
        : `${stack.site.url}/wp-admin/post.php?post=${orderId}&action=edit`;
      await admin.goto(edit, { waitUntil: 'domcontentloaded' });
      const box = admin.locator('#syncline-order');
      await box.waitFor();
      const correlation = stack.events(`object_type='order' AND object_id=${orderId}`)[0]?.correlation_id ?? '';
      assert.ok(correlation.length > 8, 'the order has a correlation id');
      assert.equal((await box.locator('.syncline-correlation-id').innerText()).trim(), correlation);
      const text = await box.innerText();
      assert.match(text, /Latest event: needs_human/);
      assert.match(text, /unmapped_sku/);
      await shot(admin, `order-metabox-${mode.toLowerCase()}`);
      await box.getByRole('link', { name: 'Open the Syncline trace' }).click();
      await admin.waitForURL(/page=syncline.*tab=trace/);
      await admin.getByRole('heading', { name: `Trace of order #${orderId}` }).waitFor();
      await shot(admin, `order-metabox-${mode.toLowerCase()}-trace`);
      await admin.locator('code', { hasText: correlation }).first().waitFor();
    });
  });
}
