import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../common/errors.js';
import { applyEnv, defaultWorkerId, loadConfig, parseConfig } from './load.js';

const SECRET = 'a'.repeat(64);
const minimal = (): Record<string, unknown> => ({
  wordpress: { url: 'http://shop.test/', secret: SECRET },
  erp: { type: 'dolibarr', url: 'http://erp.test/api/index.php', api_key: 'k', warehouse_id: 1 },
});
const message = (raw: unknown): string => {
  try {
    parseConfig(raw);
  } catch (e) {
    assert.ok(e instanceof ConfigError);
    return e.message;
  }
  return assert.fail('expected a ConfigError');
};

describe('sidecar config', () => {
  it('fills every default and derives the worker id from host and pid', () => {
    const c = parseConfig(minimal(), 42, 'web 1');
    assert.equal(c.wordpress.url, 'http://shop.test');
    assert.equal(c.erp.ref_client_prefix, 'WC-');
    assert.equal(c.erp.timeout_ms, 15000);
    assert.deepEqual({ ...c.worker }, { id: 'web-1-42', batch: 20, lease_seconds: 60, wait_seconds: 10, max_attempts: 10 });
    assert.deepEqual(c.retry, { base_ms: 1000, max_ms: 300000 });
    assert.deepEqual(c.circuit, { failure_threshold: 5, open_ms: 30000 });
    assert.deepEqual(c.http, { host: '127.0.0.1', port: 9464 });
    assert.equal(c.log.level, 'info');
  });

  const bad: Array<[string, (r: Record<string, unknown>) => void, RegExp]> = [
    ['a bad ERP url', (r) => { (r.erp as Record<string, unknown>).url = 'not a url'; }, /^erp\.url: Invalid url$/],
    ['a short secret', (r) => { (r.wordpress as Record<string, unknown>).secret = 'abc'; }, /^wordpress\.secret: must be 64 hex/],
    ['an unknown ERP type', (r) => { (r.erp as Record<string, unknown>).type = 'sap'; }, /^erp\.type: /],
    ['a missing wordpress block', (r) => { delete r.wordpress; }, /^wordpress: /],
    ['a lease too short', (r) => { r.worker = { lease_seconds: 1 }; }, /^worker\.lease_seconds: /],
    ['max_ms below base_ms', (r) => { r.retry = { base_ms: 10, max_ms: 5 }; }, /^retry\.max_ms: /],
  ];
  for (const [name, mutate, expected] of bad) {
    it(`names the field for ${name}`, () => {
      const raw = minimal();
      mutate(raw);
      assert.match(message(raw), expected);
    });
  }

  it('applies environment overrides on top of the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'syncline-cfg-'));
    const file = join(dir, 'c.json');
    writeFileSync(file, JSON.stringify(minimal()));
    const c = loadConfig(file, { SYNCLINE_WP_URL: 'https://other.test', SYNCLINE_HTTP_PORT: '0', SYNCLINE_LOG_LEVEL: 'debug', SYNCLINE_ERP_KEY: 'env-key' });
    assert.equal(c.wordpress.url, 'https://other.test');
    assert.equal(c.http.port, 0);
    assert.equal(c.log.level, 'debug');
    assert.equal(c.erp.api_key, 'env-key');
  });

  it('keeps a non-numeric port override as text so validation names http.port', () => {
    assert.match(message(applyEnv(minimal(), { SYNCLINE_HTTP_PORT: 'abc' })), /^http\.port: /);
  });

  it('reports an unreadable file as a config error', () => {
    assert.throws(() => loadConfig('/nonexistent/syncline.json', {}), (e: unknown) => e instanceof ConfigError && /--config: cannot read/.test(e.message));
  });

  it('builds a worker id WordPress accepts from any host name', () => {
    assert.match(defaultWorkerId('my host/é', 7), /^[A-Za-z0-9_.:@-]+-7$/);
  });
});
