import 'reflect-metadata';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { Controller, Get, Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { trace } from '@opentelemetry/api';
import { Logger, PinoLogger } from 'nestjs-pino';
import { installInMemoryTracing } from '@mqtrace/kafka-tracing/testing';
import { serviceLoggerModule } from './logging.js';

// A real Nest HTTP application logging through the kit: what lands in the log stream.
const tracing = installInMemoryTracing();
const lines: Array<Record<string, unknown>> = [];
const destination = new PassThrough();
destination.on('data', (chunk: Buffer) => {
  for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
});

@Controller()
class Routes {
  constructor(private readonly logger: PinoLogger) {}

  @Get('in-span')
  inSpan(): { traceId: string; spanId: string } {
    return trace.getTracer('test').startActiveSpan('work', (span) => {
      this.logger.info('inside a span');
      span.end();
      return { traceId: span.spanContext().traceId, spanId: span.spanContext().spanId };
    });
  }

  @Get('health/live')
  live(): string {
    return 'ok';
  }
}
@Module({ imports: [serviceLoggerModule({ serviceName: 'kit-test', serviceVersion: '1.2.3', level: 'info', destination })], controllers: [Routes] })
class TestModule {}

describe('serviceLoggerModule', () => {
  let app: INestApplication;
  let base: string;
  before(async () => {
    app = await NestFactory.create(TestModule, { bufferLogs: true });
    app.useLogger(app.get(Logger));
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  });
  after(async () => {
    await app?.close();
    await tracing.shutdown();
  });

  it('writes JSON lines with the service, and trace_id and span_id of the active span', async () => {
    const { traceId, spanId } = (await (await fetch(`${base}/in-span`)).json()) as { traceId: string; spanId: string };
    const line = lines.find((entry) => entry['msg'] === 'inside a span');
    assert.ok(line, 'the handler line was written');
    assert.equal(line['trace_id'], traceId);
    assert.equal(line['span_id'], spanId);
    assert.equal(line['service'], 'kit-test');
    assert.equal(line['version'], '1.2.3');
    // Nest's own start-up lines are JSON too, and carry no trace outside a span.
    const startup = lines.find((entry) => String(entry['msg']).includes('Nest application successfully started'));
    assert.ok(startup);
    assert.equal(startup['trace_id'], undefined);
  });

  it('redacts credentials in request logs and does not log health probes', async () => {
    await fetch(`${base}/in-span`, { headers: { authorization: 'Bearer secret-token', cookie: 'session=abc' } });
    await fetch(`${base}/health/live`);
    await fetch(`${base}/health/live?probe=kubelet`);
    await new Promise((resolve) => setImmediate(resolve));
    const requests = lines.filter((entry) => entry['req'] !== undefined);
    const withCredentials = requests.find((entry) => (entry['req'] as { headers: Record<string, string> }).headers['authorization'] !== undefined);
    assert.equal((withCredentials?.['req'] as { headers: Record<string, string> }).headers['authorization'], '[redacted]');
    assert.equal((withCredentials?.['req'] as { headers: Record<string, string> }).headers['cookie'], '[redacted]');
    assert.ok(!JSON.stringify(lines).includes('secret-token'));
    assert.equal(requests.filter((entry) => (entry['req'] as { url: string }).url.startsWith('/health/live')).length, 0);
  });
});
