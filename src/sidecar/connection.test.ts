import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../common/errors.js';
import { resolveConfig } from '../config/index.js';
import { CONNECTION_ROUTE, erpFromWordPress } from './connection.js';

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
    const wp = wordpress(200, { erp: SETTINGS_ERP });
    const config = await resolveConfig(file({ wordpress: { url: 'http://shop.test/', secret: SECRET } }), {}, erpFromWordPress(wp.fetch));
    assert.equal(config.erp.url, SETTINGS_ERP.url);
    assert.equal(config.erp.api_key, 'from-settings');
    assert.equal(config.erp.warehouse_id, 3);
    assert.equal(config.erp.ref_client_prefix, 'SHOP-');
    assert.deepEqual(wp.calls, [{ url: `http://shop.test/?rest_route=${CONNECTION_ROUTE}`, signed: true }]);
  });

  it('an environment value still overrides one field of it', async () => {
    const wp = wordpress(200, { erp: SETTINGS_ERP });
    const config = await resolveConfig(file({ wordpress: { url: 'http://shop.test', secret: SECRET } }), { SYNCLINE_ERP_KEY: 'from-env' }, erpFromWordPress(wp.fetch));
    assert.equal(config.erp.api_key, 'from-env');
    assert.equal(config.erp.url, SETTINGS_ERP.url);
  });

  it('a config file with its own ERP URL does not ask WordPress', async () => {
    const wp = wordpress(500, {});
    const erp = { type: 'dolibarr', url: 'http://erp.file/api/index.php', api_key: 'k', warehouse_id: 1 };
    const config = await resolveConfig(file({ wordpress: { url: 'http://shop.test', secret: SECRET }, erp }), {}, erpFromWordPress(wp.fetch));
    assert.equal(config.erp.url, erp.url);
    assert.equal(wp.calls.length, 0);
  });

  it('no connection in Settings is a config error that names the field, without the key', async () => {
    const wp = wordpress(404, { code: 'syncline_not_found', message: 'No ERP connection is set', data: { status: 404 } });
    await assert.rejects(
      resolveConfig(file({ wordpress: { url: 'http://shop.test', secret: SECRET } }), {}, erpFromWordPress(wp.fetch)),
      (e: unknown) => e instanceof ConfigError && e.message.startsWith('erp: ') && !e.message.includes(SECRET),
    );
  });
});
