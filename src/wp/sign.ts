import { createHash, createHmac, randomBytes } from 'node:crypto';

/** The three auth headers of a `syncline/v1` request (docs/ARCHITECTURE.md, "The sidecar ↔ WordPress contract"). */
export interface SignedHeaders {
  'X-Syncline-Timestamp': string;
  'X-Syncline-Nonce': string;
  'X-Syncline-Signature': string;
}

/** METHOD, ROUTE, TIMESTAMP, NONCE and the body's SHA-256 hex, joined by `\n` with no trailing newline. */
export function stringToSign(method: string, route: string, timestamp: string, nonce: string, body: string): string {
  const bodyHash = createHash('sha256').update(body, 'utf8').digest('hex');
  return [method.toUpperCase(), route, timestamp, nonce, bodyHash].join('\n');
}

/** A random nonce of 32 characters from `[A-Za-z0-9_-]`. */
export function newNonce(): string {
  return randomBytes(24).toString('base64url');
}

/** Signs one request with the site secret. */
export function signRequest(o: { secret: string; method: string; route: string; body: string; nowMs: number; nonce?: string }): SignedHeaders {
  const timestamp = String(Math.floor(o.nowMs / 1000));
  const nonce = o.nonce ?? newNonce();
  const signature = createHmac('sha256', o.secret).update(stringToSign(o.method, o.route, timestamp, nonce, o.body), 'utf8').digest('hex');
  return { 'X-Syncline-Timestamp': timestamp, 'X-Syncline-Nonce': nonce, 'X-Syncline-Signature': `v1=${signature}` };
}
