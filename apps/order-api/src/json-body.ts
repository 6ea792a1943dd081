import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { MAX_MESSAGE_BYTES } from '@mqtrace/contracts';

/** What body-parser reports for a body it refused (`http-errors` shape). */
interface BodyParserError {
  readonly type?: string;
  readonly status?: number;
}

/**
 * JSON bodies up to the size of a Kafka message of ours (64 KiB), parsed before the
 * routes; a body over that is `413`, a body that is not JSON is `400`, both as JSON
 * answers like every other error (Express would answer in HTML).
 */
export function acceptJsonBodies(app: INestApplication): void {
  const express = app as NestExpressApplication;
  express.useBodyParser('json', { limit: MAX_MESSAGE_BYTES });
  express.use((error: BodyParserError, _request: unknown, response: { status(code: number): { json(body: unknown): void } }, next: (error?: unknown) => void) => {
    if (error?.type === 'entity.too.large') {
      return response.status(413).json({ statusCode: 413, error: 'Payload Too Large', message: `the body is over ${MAX_MESSAGE_BYTES} bytes` });
    }
    if (error?.type === 'encoding.unsupported' || error?.type === 'charset.unsupported') {
      const what = error.type === 'encoding.unsupported' ? 'content encoding' : 'charset';
      return response.status(415).json({ statusCode: 415, error: 'Unsupported Media Type', message: `the body's ${what} is not supported; send UTF-8 JSON, identity or gzip encoded` });
    }
    if (error?.type === 'entity.parse.failed') {
      return response.status(400).json({ statusCode: 400, error: 'Bad Request', message: 'the body is not valid JSON' });
    }
    next(error);
  });
}
