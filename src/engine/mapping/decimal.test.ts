import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { NeedsHumanError } from '../../common/errors.js';
import { currencyExponent, formatMinor, toMinor, type Precision } from './decimal.js';

describe('decimal amounts', () => {
  const ok: Array<[string, number, Precision, number]> = [
    ['93.98', 2, 'exact', 9398],
    ['0.00', 2, 'exact', 0],
    ['-19.99', 2, 'exact', -1999],
    ['5', 2, 'exact', 500],
    ['5.5', 2, 'exact', 550],
    ['10.000', 2, 'exact', 1000],
    ['1500', 0, 'exact', 1500],
    ['1.234', 3, 'exact', 1234],
    ['1.6667', 2, 'round', 167],
    ['1.6649', 2, 'round', 166],
    ['0.005', 2, 'round', 1],
    ['-0.005', 2, 'round', -1],
    ['0.0049', 2, 'round', 0],
    ['99999999999.99', 2, 'exact', 9999999999999],
  ];
  for (const [text, exp, precision, minor] of ok) {
    it(`reads "${text}" (exponent ${exp}, ${precision}) as ${minor}`, () => assert.equal(toMinor(text, exp, precision, 'f'), minor));
  }

  const bad: Array<[string, Precision]> = [['10.001', 'exact'], ['abc', 'round'], ['1e3', 'round'], ['', 'exact'], ['1.', 'exact'], ['9999999999999999999', 'round']];
  for (const [text, precision] of bad) {
    it(`rejects "${text}" (${precision}) as needs-human naming the field`, () => {
      assert.throws(() => toMinor(text, 2, precision, 'total of order #1'), (e: unknown) =>
        e instanceof NeedsHumanError && e.code === 'invalid_amount' && e.message.includes('total of order #1'));
    });
  }

  it('knows zero- and three-decimal currencies and defaults to two', () => {
    assert.deepEqual(['JPY', 'KWD', 'EUR', 'XYZ'].map(currencyExponent), [0, 3, 2, 2]);
  });

  it('formats minor units with the currency', () => {
    assert.equal(formatMinor(9398, 'USD'), '93.98 USD');
    assert.equal(formatMinor(-5, 'EUR'), '-0.05 EUR');
    assert.equal(formatMinor(1500, 'JPY'), '1500 JPY');
    assert.equal(formatMinor(1, 'KWD'), '0.001 KWD');
  });
});
