/** Test-side signer for syncline/v1 (written from docs/ARCHITECTURE.md, independently of src/wp). */
import { createHash, createHmac, randomBytes } from 'node:crypto';

export interface SignOptions {
  secret: string;
  route: string;
  body: string;
  method?: string;
  timestamp?: number;
  nonce?: string;
}

export function signHeaders(o: SignOptions): Record<string, string> {
  const ts = String(o.timestamp ?? Math.floor(Date.now() / 1000));
  const nonce = o.nonce ?? randomBytes(12).toString('hex');
  const bodyHash = createHash('sha256').update(o.body).digest('hex');
  const toSign = [(o.method ?? 'POST').toUpperCase(), o.route, ts, nonce, bodyHash].join('\n');
  const sig = createHmac('sha256', o.secret).update(toSign).digest('hex');
  return {
    'Content-Type': 'application/json',
    'X-Syncline-Timestamp': ts,
    'X-Syncline-Nonce': nonce,
    'X-Syncline-Signature': `v1=${sig}`,
  };
}
