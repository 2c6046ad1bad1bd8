import { parseArgs } from 'node:util';
import { ConfigError } from '../common/errors.js';

export interface CliArgs {
  /** Path of the JSON config file. */
  config?: string;
  /** Lease one batch, push it, ack it, exit. */
  once: boolean;
  version: boolean;
  help: boolean;
}

export const USAGE = `Usage: node sidecar.cjs --config <file.json> [--once]
       node sidecar.cjs --version
Environment overrides: SYNCLINE_WP_URL, SYNCLINE_WP_SECRET, SYNCLINE_ERP_URL, SYNCLINE_ERP_KEY, SYNCLINE_HTTP_PORT, SYNCLINE_LOG_LEVEL`;

export function parseCliArgs(argv: string[]): CliArgs {
  try {
    const { values } = parseArgs({
      args: argv,
      options: { config: { type: 'string' }, once: { type: 'boolean' }, version: { type: 'boolean' }, help: { type: 'boolean' } },
      strict: true,
      allowPositionals: false,
    });
    return { once: values.once ?? false, version: values.version ?? false, help: values.help ?? false, ...(values.config ? { config: values.config } : {}) };
  } catch (e) {
    throw new ConfigError(`arguments: ${(e as Error).message}`);
  }
}
