/**
 * Runs the fake Dolibarr as a process:
 *   node --import tsx tests/ts/standins/dolibarr/fake-server.ts --port 8090 --api-key KEY [--latency-ms 20] [--seed-products A,B]
 * Prints one JSON line `{"url": "http://127.0.0.1:8090/api/index.php"}` when listening; stops on SIGINT/SIGTERM.
 */
import { parseArgs } from 'node:util';
import { startFakeDolibarr } from './fake.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8090' },
    'api-key': { type: 'string' },
    'latency-ms': { type: 'string', default: '0' },
    'seed-products': { type: 'string', default: '' },
  },
});

const apiKey = values['api-key'];
if (apiKey === undefined || apiKey === '') {
  process.stderr.write('fake-server: --api-key is required\n');
  process.exit(2);
}

const fake = await startFakeDolibarr({
  port: Number(values.port),
  apiKey,
  latencyMs: Number(values['latency-ms']),
  products: (values['seed-products'] ?? '').split(',').map((s) => s.trim()).filter((s) => s !== ''),
});
process.stdout.write(`${JSON.stringify({ url: fake.url })}\n`);

const shutdown = (): void => { void fake.stop().then(() => process.exit(0)); };
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
