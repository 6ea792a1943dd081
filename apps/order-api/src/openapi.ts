import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

/** Serves order-api's OpenAPI document at `GET /openapi.json` (no UI: nothing to host). */
export function serveOpenApi(app: INestApplication, version: string): void {
  const config = new DocumentBuilder()
    .setTitle('order-api')
    .setDescription('The HTTP edge of the mqtrace reference system: place orders and follow their journey.')
    .setVersion(version)
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup('docs', app, document, { ui: false, raw: ['json'], jsonDocumentUrl: 'openapi.json' });
}
