import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { NeedsHumanError, RetryableError } from '../common/errors.js';
import { FakeErpAdapter } from '../../tests/ts/standins/engine/fake-adapter.js';
import { runPipeline } from './pipeline.js';
import { leasedEvent } from '../../tests/ts/standins/engine/testing.js';

const logger = pino({ level: 'silent' });
const ping = () => leasedEvent(null, { topic: 'erp.ping', object_type: 'erp', object_id: 0, payload: {} });

describe('erp.ping (Settings → Test connection)', () => {
  it('pings the ERP and is done with its version and the round trip', async () => {
    const adapter = new FakeErpAdapter();
    const r = await runPipeline(ping(), { adapter, logger });
    assert.equal(r.pushed, false);
    assert.equal(r.refs.erp, 'fake');
    assert.equal(r.refs.reason, 'erp_ping_ok');
    assert.equal(r.refs.version, 'fake-1');
    assert.equal(typeof r.refs.ms, 'number');
    assert.deepEqual(r.refs.documents, []);
    assert.deepEqual(r.refs.steps, []);
    assert.deepEqual(adapter.calls.map((c) => c.method), ['ping']);
  });

  it('a failed ping is needs-human erp_connection_failed with the message, never the API key', async () => {
    const adapter = new FakeErpAdapter();
    adapter.faults.push({ method: 'ping', error: new RetryableError('erp_unreachable', 'Could not reach Dolibarr for GET /status?k=s3cr3t-key: ECONNREFUSED', { erpDown: true }) });
    await assert.rejects(runPipeline(ping(), { adapter, logger, secrets: ['s3cr3t-key'] }), (e: unknown) => {
      assert.ok(e instanceof NeedsHumanError);
      assert.equal(e.code, 'erp_connection_failed');
      assert.match(e.message, /could not reach the ERP \(fake\): Could not reach Dolibarr .*ECONNREFUSED/);
      assert.doesNotMatch(e.message, /s3cr3t-key/);
      assert.equal(e.details.cause_code, 'erp_unreachable');
      return true;
    });
  });
});
