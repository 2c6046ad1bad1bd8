import { z } from 'zod';
import { ConfigError } from '../common/errors.js';
import type { ErpConnectionSource } from '../config/index.js';
import { WpClient } from '../wp/client.js';

/** The answer of POST /syncline/v1/sidecar/connection: the ERP block of the Settings screen (validated in full by the config schema). */
const ConnectionResponse = z.object({ erp: z.record(z.string(), z.unknown()) });

/** The route that serves the Settings screen's ERP connection to a signed sidecar (includes/Rest/ConnectionController.php). */
export const CONNECTION_ROUTE = '/syncline/v1/sidecar/connection';

/** Reads the ERP connection from WordPress's Settings; any failure is a config error (exit code 2), the key is never logged. */
export function erpFromWordPress(fetchFn?: typeof fetch): ErpConnectionSource {
  return async ({ url, secret }) => {
    const wp = new WpClient({ url: url.replace(/\/+$/, ''), secret, ...(fetchFn ? { fetch: fetchFn } : {}) });
    try {
      return (await wp.call(CONNECTION_ROUTE, {}, ConnectionResponse)).erp;
    } catch (e) {
      throw new ConfigError(`erp: not in the config file, and WordPress did not give the Settings' ERP connection (${e instanceof Error ? e.message : String(e)})`);
    }
  };
}
