import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { createLogger } from './logger.js';

function capture(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({ write(c: Buffer, _e, cb) { chunks.push(c.toString('utf8')); cb(); } });
  return { stream, text: () => chunks.join('') };
}

describe('sidecar logger', () => {
  it('redacts customer e-mails and secrets wherever a log call nests them', () => {
    const out = capture();
    const log = createLogger('info', out.stream);
    log.warn({ email: 'a@example.com', customer: { email: 'b@example.com' }, order: { billing: { email: 'c@example.com' } }, erp: { api_key: 'k-123' } }, 'x');
    const line = out.text();
    assert.doesNotMatch(line, /example\.com|k-123/);
    assert.match(line, /\[redacted\]/);
  });
});
