/**
 * The pipeline exporter (ADR 0073): `node --import tsx src/observability/exporter/main.ts --port N`.
 * Serves GET /metrics on 127.0.0.1:N (Prometheus' text format, collected when asked) and
 * GET /healthz. The stack starts it (src/stack/prometheus/exporter-service.ts); CTR_STACK_DIR
 * tells it which stack to read.
 */
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import { Collector } from './collect.ts';

const { values } = parseArgs({ options: { port: { type: 'string' }, host: { type: 'string', default: '127.0.0.1' } } });
const port = Number(values.port);
if (!Number.isInteger(port) || port <= 0) {
  process.stderr.write('Give the port to listen on: --port 9464\n');
  process.exit(2);
}

// A stray rejection (a kafkajs consumer whose topic was deleted mid-fetch) must not end the
// exporter: labs watch the stack's processes, and a dead exporter would fail them. Log it instead.
process.on('unhandledRejection', (err) => process.stderr.write(`pipeline exporter: ${err instanceof Error ? err.message : String(err)}\n`));

const collector = new Collector();
// One collection at a time: a slow one (Kafka restarting) is shared by the scrapes that wait for it.
let running: Promise<void> | undefined;
const collectOnce = () => (running ??= collector.collect().finally(() => (running = undefined)));

const server = createServer((req, res) => {
  if (req.url === '/healthz') {
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
    return;
  }
  if (req.url !== '/metrics') {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('GET /metrics or /healthz\n');
    return;
  }
  collectOnce()
    .then(() => collector.registry.metrics())
    .then((text) => res.writeHead(200, { 'content-type': collector.registry.contentType }).end(text))
    .catch((err: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`${err instanceof Error ? err.message : String(err)}\n`));
});
server.listen(port, values.host, () => process.stdout.write(`pipeline exporter on http://${values.host}:${port}/metrics\n`));

const stop = () => {
  server.close();
  void collector.close().finally(() => process.exit(0));
  setTimeout(() => process.exit(0), 3_000).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
