import { pino, type Logger } from 'pino';
import { VERSION } from '../common/version.js';

export type { Logger };

const SECRET_PATHS = ['secret', 'api_key', 'apiKey', '*.secret', '*.api_key', '*.apiKey', 'headers.DOLAPIKEY'];
/** Customer e-mails, wherever a log call nests them (an order, its customer, billing or shipping address). */
const EMAIL_PATHS = ['email', '*.email', '*.*.email', '*.*.*.email', 'billing_email', '*.billing_email'];

/**
 * JSON lines on stdout (no transports, so it bundles into one file). Every engine line about an event carries
 * `correlation_id` and `event_id` through child loggers. Secrets never reach a log call; the redaction is a net.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: 'syncline-sidecar', version: VERSION, pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: [...SECRET_PATHS, ...EMAIL_PATHS], censor: '[redacted]' },
  };
  return destination ? pino(options, destination) : pino(options);
}
