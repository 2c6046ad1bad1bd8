import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../common/errors.js';
import { resolveConfig, stockRules } from '../config/index.js';
import { computeAts } from '../engine/ats/compute.js';
import { CONNECTION_ROUTE, settingsFromWordPress } from './connection.js';

const SECRET = 'b'.repeat(64);
const SETTINGS_ERP = { type: 'dolibarr', url: 'http://erp.settings/api/index.php', api_key: 'from-settings', warehouse_id: 3, ref_client_prefix: 'SHOP-' };

function file(body: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), 'syncline-conn-')), 'sidecar.json');
  writeFileSync(path, JSON.stringify(body));
  return path;
}

/** A WordPress that answers the connection route (and records what it was asked). */
function wordpress(status: number, body: unknown): { fetch: typeof fetch; calls: Array<{ url: string; signed: boolean }> } {
  const calls: Array<{ url: string; signed: boolean }> = [];
  const fake = (async (input: string | URL | Request, init?: RequestInit) => {
    const headers = new Headers(init?.headers);
    calls.push({ url: String(input), signed: (headers.get('X-Syncline-Signature') ?? '').startsWith('v1=') });
    return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
  }) as typeof fetch;
  return { fetch: fake, calls };
}

describe('the ERP connection has one source: WordPress Settings', () => {
  it('a config file without an ERP block gets the Settings connection through the signed route', async () => {
    const wp = wordpress(200, { erp: SETTINGS_ERP, stock: { channel: 'web', rules: null } });
    const config = await resolveConfig(file({ wordpress: { url: 'http://shop.test/', secret: SECRET } }), {}, settingsFromWordPress(wp.fetch));
    assert.equal(config.erp.url, SETTINGS_ERP.url);
    assert.equal(config.erp.api_key, 'from-settings');
    assert.equal(config.erp.warehouse_id, 3);
    assert.equal(config.erp.ref_client_prefix, 'SHOP-');
    assert.deepEqual(wp.calls, [{ url: `http://shop.test/?rest_route=${CONNECTION_ROUTE}`, signed: true }]);
  });

  it('an environment value still overrides one field of it', async () => {
    const wp = wordpress(200, { erp: SETTINGS_ERP, stock: { channel: 'web', rules: null } });
    const config = await resolveConfig(file({ wordpress: { url: 'http://shop.test', secret: SECRET } }), { SYNCLINE_ERP_KEY: 'from-env' }, settingsFromWordPress(wp.fetch));
    assert.equal(config.erp.api_key, 'from-env');
    assert.equal(config.erp.url, SETTINGS_ERP.url);
  });

  it('a config file with its own ERP URL and ATS rules does not ask WordPress', async () => {
    const wp = wordpress(500, {});
    const erp = { type: 'dolibarr', url: 'http://erp.file/api/index.php', api_key: 'k', warehouse_id: 1 };
    const stock = { rules: { channels: { web: ['1'] } } };
    const config = await resolveConfig(file({ wordpress: { url: 'http://shop.test', secret: SECRET }, erp, stock }), {}, settingsFromWordPress(wp.fetch));
    assert.equal(config.erp.url, erp.url);
    assert.equal(wp.calls.length, 0);
  });

  it('no connection in Settings is a config error that names the field, without the key', async () => {
    const wp = wordpress(200, { erp: null, stock: { channel: 'web', rules: null } });
    await assert.rejects(
      resolveConfig(file({ wordpress: { url: 'http://shop.test', secret: SECRET } }), {}, settingsFromWordPress(wp.fetch)),
      (e: unknown) => e instanceof ConfigError && e.message.startsWith('erp: ') && e.message.includes('Settings') && !e.message.includes(SECRET),
    );
  });

  it('WordPress not answering is a config error that names what was missing', async () => {
    const wp = wordpress(500, { code: 'oops', message: 'down', data: { status: 500 } });
    const erp = { type: 'dolibarr', url: 'http://erp.file/api/index.php', api_key: 'k', warehouse_id: 1 };
    await assert.rejects(
      resolveConfig(file({ wordpress: { url: 'http://shop.test', secret: SECRET }, erp }), {}, settingsFromWordPress(wp.fetch)),
      (e: unknown) => e instanceof ConfigError && e.message.startsWith('stock.rules: ') && !e.message.includes(SECRET),
    );
  });
});

/** ATS rules as the Settings screen saves them (includes/Stock/AtsSettings.php), served on the connection route. */
const SETTINGS_RULES = {
  channels: { shop: ['1', '2'], market: ['3'] },
  safetyStock: { global: 1, perSku: { MUG: 2 } },
  reserve: { shop: { units: 1 } },
  kits: { DUO: { components: { MUG: 2 } } },
};

describe('the ATS rules have one source: WordPress Settings', () => {
  const reading = (sku: string, byWarehouse: Record<string, number>) => ({
    sku, readAt: '2026-12-01T00:00:00.000Z', warehouses: Object.entries(byWarehouse).map(([id, onHand]) => ({ id, onHand, reserved: 0 })),
  });

  it('served rules and channel reach the stock config and the ATS computed from them', async () => {
    const wp = wordpress(200, { erp: SETTINGS_ERP, stock: { channel: 'shop', rules: SETTINGS_RULES } });
    const config = await resolveConfig(file({ wordpress: { url: 'http://shop.test', secret: SECRET } }), {}, settingsFromWordPress(wp.fetch));
    assert.equal(config.stock.channel, 'shop');
    assert.deepEqual(stockRules(config), SETTINGS_RULES);
    const ats = computeAts([reading('MUG', { 1: 10, 2: 5, 3: 100 }), reading('CUP', { 1: 4 })], stockRules(config), config.stock.channel);
    // MUG: 15 in the shop's warehouses − 2 safety (per SKU) − 1 reserve = 12; CUP: 4 − 1 − 1 = 2; DUO: floor(12 / 2) = 6.
    assert.deepEqual(ats.map((i) => [i.sku, i.ats]), [['MUG', 12], ['CUP', 2], ['DUO', 6]]);
    assert.equal(wp.calls.length, 1, 'one call gives the ERP connection and the rules');
  });

  it('a config file with its own ERP asks WordPress for the rules only; the file ERP stays', async () => {
    const wp = wordpress(200, { erp: null, stock: { channel: 'shop', rules: SETTINGS_RULES } });
    const erp = { type: 'dolibarr', url: 'http://erp.file/api/index.php', api_key: 'k', warehouse_id: 7 };
    const config = await resolveConfig(file({ wordpress: { url: 'http://shop.test', secret: SECRET }, erp }), {}, settingsFromWordPress(wp.fetch));
    assert.equal(config.erp.url, erp.url);
    assert.deepEqual(config.stock.rules?.channels, SETTINGS_RULES.channels);
  });

  it('rules never saved in Settings: the channel sells the order warehouse', async () => {
    const wp = wordpress(200, { erp: SETTINGS_ERP, stock: { channel: 'web', rules: null } });
    const config = await resolveConfig(file({ wordpress: { url: 'http://shop.test', secret: SECRET } }), {}, settingsFromWordPress(wp.fetch));
    assert.equal(config.stock.rules, undefined);
    assert.deepEqual(stockRules(config).channels, { web: ['3'] });
  });

  it('a file value overrides the served ones', async () => {
    const wp = wordpress(200, { erp: SETTINGS_ERP, stock: { channel: 'shop', rules: SETTINGS_RULES } });
    const stock = { channel: 'web', rules: { channels: { web: ['9'] } } };
    const config = await resolveConfig(file({ wordpress: { url: 'http://shop.test', secret: SECRET }, stock }), {}, settingsFromWordPress(wp.fetch));
    assert.equal(config.stock.channel, 'web');
    assert.deepEqual(stockRules(config).channels, { web: ['9'] });
  });

  it('served rules go through the config schema: a bad kit is a config error naming its field', async () => {
    const bad = { ...SETTINGS_RULES, kits: { DUO: { components: { MUG: 0 } } } };
    const wp = wordpress(200, { erp: SETTINGS_ERP, stock: { channel: 'shop', rules: bad } });
    await assert.rejects(
      resolveConfig(file({ wordpress: { url: 'http://shop.test', secret: SECRET } }), {}, settingsFromWordPress(wp.fetch)),
      (e: unknown) => e instanceof ConfigError && e.message.startsWith('stock.rules.kits.DUO.components.MUG'),
    );
  });
});
