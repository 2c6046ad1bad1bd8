/** Odoo's faults → Syncline's error classes (messages as the real Odoo 17 words them). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NeedsHumanError, RetryableError } from '../../common/errors.js';
import { classifyFault } from './errors.js';

const fault = (name: string, message: string) => ({ code: 200, message: 'Odoo Server Error', data: { name, message } });

describe('Odoo fault classification', () => {
  it('a locked period is needs-human erp_period_closed, saying where the lock dates are', () => {
    const e = classifyFault('account.move.action_post', fault('odoo.exceptions.UserError', 'You cannot add/modify entries prior to and inclusive of the lock date 11/30/2026.'));
    assert.ok(e instanceof NeedsHumanError);
    assert.equal(e.code, 'erp_period_closed');
    assert.match(e.message, /Lock Dates/);
  });

  it('a missing journal is needs-human erp_settings, with Odoo\'s whole multi-line message on one line', () => {
    const e = classifyFault('account.move.reversal.create', fault('odoo.exceptions.ValidationError',
      'The operation cannot be completed:\n- Create/update: a mandatory field is not set.\n\nModel: Account Move Reversal (account.move.reversal)\nField: Journal (journal_id)\n'));
    assert.ok(e instanceof NeedsHumanError);
    assert.equal(e.code, 'erp_settings');
    assert.match(e.message, /Field: Journal \(journal_id\)/);
    assert.doesNotMatch(e.message, /\n/);
  });

  it('other refusals stay erp_rejected; serialization failures are retryable', () => {
    const e = classifyFault('sale.order.action_confirm', fault('odoo.exceptions.UserError', 'Some orders are not in a state requiring confirmation.'));
    assert.ok(e instanceof NeedsHumanError && e.code === 'erp_rejected');
    const r = classifyFault('sale.order.create', fault('psycopg2.errors.SerializationFailure', 'could not serialize access due to concurrent update'));
    assert.ok(r instanceof RetryableError && r.code === 'erp_concurrency');
  });
});
