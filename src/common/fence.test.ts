import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RetryableError } from './errors.js';
import { assertLeaseHeld, isLeaseLost, LeaseLostError, withFence } from './fence.js';

describe('lease fence', () => {
  it('asks the fence of the running event across awaits, and passes outside any fence', async () => {
    let held = true;
    const fence = { assertHeld: () => { if (!held) throw new LeaseLostError('gone'); } };
    assertLeaseHeld();
    await withFence(fence, async () => {
      assertLeaseHeld();
      await new Promise((r) => setTimeout(r, 1));
      held = false;
      assert.throws(() => assertLeaseHeld(), LeaseLostError);
    });
    assertLeaseHeld();
  });

  it('recognises a lease loss, also when wrapped as the cause of another error', () => {
    const lost = new LeaseLostError('gone');
    assert.equal(isLeaseLost(lost), true);
    assert.equal(isLeaseLost(new RetryableError('erp_write', 'wrapped', { cause: lost })), true);
    assert.equal(isLeaseLost(new RetryableError('erp_timeout', 'slow')), false);
    assert.equal(isLeaseLost('text'), false);
  });
});
