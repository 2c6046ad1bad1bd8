/**
 * Settings → ATS rules and field ownership (issue 10), in headless Chromium against WordPress 7 + WooCommerce 11:
 * edited in the form, a bad kit refused with its field error (nothing saved), the saved values after a reload, and
 * the Odoo payment-method help. Screenshots go to test-artifacts/screenshots/.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { sql } from '../../scripts/env/wp-env.js';
import { Stack, launch, login, setOption, shot, syncline } from './helpers.js';

const PORT = Number(process.env.SYNCLINE_E2E_PORT ?? 18401) + 30;

/** Fills line `i` of a rows group (adding the line first when `add` is given). */
async function line(page: Page, i: number, keyLabel: string, valueLabel: string, key: string, value: string, add?: string): Promise<void> {
  if (add) await page.getByRole('button', { name: add }).click();
  await page.getByLabel(keyLabel, { exact: true }).nth(i).fill(key);
  await page.getByLabel(valueLabel, { exact: true }).nth(i).fill(value);
}

describe('Settings: ATS rules and field ownership', () => {
  let stack: Stack;
  let browser: Browser;
  let admin: Page;
  const stored = () => sql(`SELECT option_value FROM \`${stack.site.db}\`.wp_options WHERE option_name = 'syncline_settings'`);
  const view = async () => admin.evaluate(async () => {
    const w = window as unknown as { wp: { apiFetch: (o: { path: string }) => Promise<unknown> } };
    return JSON.stringify(await w.wp.apiFetch({ path: '/syncline/v1/admin/settings' }));
  });

  before(async () => {
    stack = await Stack.start({ name: 'e2esettings', port: PORT });
    browser = await launch();
    admin = await login(browser, stack, 'admin', 'password');
  });

  after(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('edits the ATS rules and the owned fields; a kit that contains itself is a field error that saves nothing; the values survive a reload', async () => {
    await admin.goto(syncline(stack, 'settings'));
    await admin.getByLabel('ERP URL').fill('https://erp.example.test/api/index.php');
    await admin.getByLabel('Warehouse id').fill('1');
    await line(admin, 0, 'Channel', 'ERP warehouses (ids)', 'web', '1, 2');
    await line(admin, 1, 'Channel', 'ERP warehouses (ids)', 'market', '3', 'Add a channel');
    await admin.getByLabel('Safety stock (units per SKU)').fill('2');
    await line(admin, 0, 'SKU', 'Units held back', 'MUG', '5', 'Add a SKU');
    await line(admin, 0, 'Reserved channel', 'Units or percent', 'web', '10%', 'Add a reserve');
    await line(admin, 0, 'Kit SKU', 'Components (SKU:quantity)', 'GIFT', 'DUO:1, BOX', 'Add a kit');
    await line(admin, 1, 'Kit SKU', 'Components (SKU:quantity)', 'DUO', 'MUG:2', 'Add a kit');
    await line(admin, 2, 'Kit SKU', 'Components (SKU:quantity)', 'LOOP', 'MUG:1, LOOP:1', 'Add a kit');
    await admin.getByLabel('Weight', { exact: true }).uncheck();
    await admin.getByLabel('Status (published or draft)').check();
    await admin.getByRole('button', { name: 'Save settings' }).click();

    const err = admin.locator('#syncline-err-ats_kits');
    await err.waitFor();
    assert.match(await err.innerText(), /Kits cannot contain themselves: LOOP → LOOP/);
    assert.equal(await admin.locator('.syncline-field-error').count(), 1, 'only the kits are in error');
    assert.equal(stored(), '', 'nothing saved');
    await err.scrollIntoViewIfNeeded();
    await shot(admin, 'settings-ats-error');

    await admin.getByRole('button', { name: 'Remove line 3 of Kits' }).click();
    await admin.getByRole('button', { name: 'Save settings' }).click();
    await admin.locator('.syncline-admin').getByText('Settings saved.', { exact: false }).waitFor();

    await admin.reload();
    await admin.waitForFunction(() => [...document.querySelectorAll('input')].some((i) => i.value === 'DUO:1, BOX:1'));
    const body = await view();
    assert.match(body, /"ats_rules":\{"channels":\{"web":\["1","2"\],"market":\["3"\]\},"safetyStock":\{"global":2,"perSku":\{"MUG":5\}\},"reserve":\{"web":\{"percent":10\}\}/);
    assert.match(body, /"kits":\{"DUO":\{"components":\{"MUG":2\}\},"GIFT":\{"components":\{"DUO":1,"BOX":1\}\}\}/, 'inner kits first');
    assert.match(body, /"products_owned_fields":\["name","regular_price","sale_price","tax_class","dimensions","status"\]/);
    assert.equal(await admin.getByLabel('Channel', { exact: true }).nth(1).inputValue(), 'market');
    assert.equal(await admin.getByLabel('ERP warehouses (ids)', { exact: true }).nth(0).inputValue(), '1, 2');
    assert.equal(await admin.getByLabel('Units or percent', { exact: true }).nth(0).inputValue(), '10%');
    assert.equal(await admin.getByLabel('Safety stock (units per SKU)').inputValue(), '2');
    assert.equal(await admin.getByLabel('Weight', { exact: true }).isChecked(), false);
    assert.equal(await admin.getByLabel('Status (published or draft)').isChecked(), true);
    await admin.getByRole('heading', { name: 'Available to sell (ATS)' }).scrollIntoViewIfNeeded();
    await shot(admin, 'settings-ats');
  });

  it('a channel the rules lack is a field error next to the store channel', async () => {
    await admin.goto(syncline(stack, 'settings'));
    await admin.getByLabel('Channel this store sells as').fill('pos');
    await admin.waitForFunction(() => [...document.querySelectorAll('input')].some((i) => i.value === 'market'));
    const before = stored();
    await admin.getByRole('button', { name: 'Save settings' }).click();
    const err = admin.locator('#syncline-err-ats_channel');
    await err.waitFor();
    assert.match(await err.innerText(), /add it to the channels below/);
    assert.equal(stored(), before, 'nothing saved');
  });

  it('on Odoo, the payment-method mapping asks for a bank or cash journal code', async () => {
    setOption(stack, 'syncline_settings', { erp_type: 'odoo', erp_url: 'https://odoo.example.test', erp_database: 'shop', erp_login: 'sync@shop.example', warehouse_id: 1 });
    await admin.goto(syncline(stack, 'mappings'));
    const help = admin.getByText('bank or cash journal', { exact: false }).first();
    await help.waitFor();
    assert.match(await help.innerText(), /BNK1 or CSH1/);
    await help.scrollIntoViewIfNeeded();
    await shot(admin, 'mappings-payment-odoo');
  });
});
