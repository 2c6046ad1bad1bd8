import { z } from 'zod';
import { ConfigError } from '../common/errors.js';
import type { SettingsSource } from '../config/index.js';
import { WpClient } from '../wp/client.js';

/**
 * The answer of POST /syncline/v1/sidecar/connection: the Settings screen's ERP block (null until set) and stock block
 * (channel, ATS rules or null); both validated in full by the config schema.
 */
const ConnectionResponse = z.object({
  erp: z.record(z.string(), z.unknown()).nullable(),
  stock: z.object({ channel: z.string().optional(), rules: z.record(z.string(), z.unknown()).nullable().optional() }).optional(),
});

/** The route that serves the Settings screen's ERP connection to a signed sidecar (includes/Rest/ConnectionController.php). */
export const CONNECTION_ROUTE = '/syncline/v1/sidecar/connection';

/** Reads the ERP connection and the ATS rules from WordPress's Settings; any failure is a config error (exit code 2), the key is never logged. */
export function settingsFromWordPress(fetchFn?: typeof fetch): SettingsSource {
  return async ({ url, secret }) => {
    const wp = new WpClient({ url: url.replace(/\/+$/, ''), secret, ...(fetchFn ? { fetch: fetchFn } : {}) });
    try {
      return await wp.call(CONNECTION_ROUTE, {}, ConnectionResponse);
    } catch (e) {
      throw new ConfigError(`WordPress did not give its Settings (${e instanceof Error ? e.message : String(e)})`);
    }
  };
}
