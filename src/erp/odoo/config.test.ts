import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pino from 'pino';
import { ConfigError } from '../../common/errors.js';
import { parseConfig } from '../../config/load.js';
import { createAdapter } from '../../sidecar/adapters.js';

const odoo = (erp: Record<string, unknown> = {}): Record<string, unknown> => ({
  wordpress: { url: 'http://shop.test/', secret: 'a'.repeat(64) },
  erp: { type: 'odoo', url: 'http://erp.test/', api_key: 'k', database: 'prod', login: 'syncline', warehouse_id: 1, ...erp },
});

describe('choosing Odoo by configuration', () => {
  it('erp.type "odoo" gives the Odoo adapter, which declares when its stock counts an order and what differs', () => {
    const adapter = createAdapter(parseConfig(odoo(), 1, 'h'), pino({ level: 'silent' }));
    assert.equal(adapter.name, 'odoo');
    assert.equal(adapter.countsStockAt, 'validate_order');
    assert.deepEqual(adapter.capabilities, { stockCountedAt: 'validate_order', stockChangesSince: true, creditNotesLinked: true, orderKeyUnique: false });
    assert.equal(typeof adapter.readStockChanges, 'function');
  });

  it('an Odoo configuration without database or login is refused, naming the field', () => {
    for (const field of ['database', 'login']) {
      const raw = odoo();
      delete (raw.erp as Record<string, unknown>)[field];
      assert.throws(() => parseConfig(raw, 1, 'h'), (e: unknown) => e instanceof ConfigError && new RegExp(`erp\\.${field}: is required when type is "odoo"`).test(e.message));
    }
  });

  it('Dolibarr configurations need neither', () => {
    const raw = odoo({ type: 'dolibarr', url: 'http://erp.test/api/index.php' });
    delete (raw.erp as Record<string, unknown>).database;
    assert.equal(createAdapter(parseConfig(raw, 1, 'h'), pino({ level: 'silent' })).name, 'dolibarr');
  });
});
