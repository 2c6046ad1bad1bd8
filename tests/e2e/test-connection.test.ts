/**
 * Settings → "Test connection" (issue 4): the button records an `erp.ping` event, the bundled sidecar answers it
 * through its own ERP config (the real Dolibarr behind the fault proxy), and the screen shows the answer. Needs the build
 * (npm run build). Screenshots go to test-artifacts/screenshots/.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { sql } from '../../scripts/env/wp-env.js';
import { Stack } from '../ts/support/stack.js';
import { launch, login, shot, syncline } from './helpers.js';

const PORT = Number(process.env.SYNCLINE_E2E_CONN_PORT ?? 18411);

/** The Syncline app itself (not the a11y live regions WordPress adds). */
const result = (page: Page) => page.locator('.syncline-admin .syncline-connection-result');

describe('Settings: Test connection through the sidecar', () => {
  let stack: Stack;
  let browser: Browser;
  let admin: Page;

  before(async () => {
    stack = await Stack.start({ name: 'e2econn', port: PORT });
    browser = await launch();
    admin = await login(browser, stack, 'admin', 'password');
  });

  after(async () => {
    await browser?.close();
    await stack?.stop();
  });

  const clickTest = async () => {
    await admin.goto(syncline(stack, 'settings'));
    await admin.getByRole('button', { name: 'Test connection', exact: true }).click();
  };

  it('says at once that no sidecar is running', async () => {
    await clickTest();
    const notice = result(admin).locator('.components-notice.is-warning');
    await notice.waitFor();
    assert.match(await notice.innerText(), /The sidecar is not running.*wp syncline sidecar start/s);
    const ping = stack.events("topic='erp.ping'");
    assert.equal(ping.length, 1);
    assert.equal(ping[0]?.state, 'pending');
  });

  it('with a running sidecar, shows the Dolibarr version and the round trip', async () => {
    stack.startSidecar();
    await stack.waitFor('a sidecar heartbeat', () =>
      sql(`SELECT option_value FROM \`${stack.site.db}\`.wp_options WHERE option_name='syncline_heartbeats'`).includes('e2econn-w0'));
    await clickTest();
    const notice = result(admin).locator('.components-notice.is-success');
    await notice.waitFor({ timeout: 25_000 });
    assert.match(await notice.innerText(), /Connected: Dolibarr 20\.0\.2 answered the sidecar in \d+ ms\./);
    assert.match(await result(admin).innerText(), /Sidecar e2econn-w0 is running; its ERP, Dolibarr 20\.0\.2, was reachable at its last heartbeat/);
    await shot(admin, 'settings-test-connection');
    assert.ok(stack.events("topic='erp.ping'").every((e) => e.state === 'done'), 'the queued ping and the new one are answered');
  });

  it('with the ERP down, shows why the sidecar could not reach it', async () => {
    stack.erp.faults.push({ match: {}, kind: 'down', times: 1000 });
    await clickTest();
    const notice = result(admin).locator('.components-notice.is-error');
    await notice.waitFor({ timeout: 25_000 });
    const text = await notice.innerText();
    assert.match(text, /The connection test failed: The sidecar could not reach the ERP \(dolibarr\): .+\(erp_connection_failed\)/s);
    assert.doesNotMatch(text, /test-dolibarr-key/);
    await shot(admin, 'settings-test-connection-failed');
    stack.erp.faults.length = 0;
  });
});
