import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { uploadFormSchema } from '@photo-pipeline/shared/contracts';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { z } from 'zod';

const { $schema: _draft, ...uploadFormDocument } = z.toJSONSchema(uploadFormSchema, { io: 'input' });

/**
 * The OpenAPI document, generated from the routes' zod schemas, at /openapi.json, and a docs page at /docs.
 * The multipart body is described here because fastify does not validate it (it is streamed).
 */
export async function installDocs(app: FastifyInstance, options: { apiKeysEnabled: boolean }): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'photo-pipeline upload API',
        version: '1.0.0',
        description:
          'Upload images to the photo pipeline; errors are JSON with a stable code and the request id.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      ...(options.apiKeysEnabled ? { security: [{ bearer: [] }] } : {}),
    },
    transform: (document) => {
      const { schema, url } = jsonSchemaTransform(document);
      if (url !== '/v1/images' || document.route.method !== 'POST') return { schema, url };
      return {
        url,
        schema: {
          ...schema,
          body: uploadFormDocument,
        },
      };
    },
  });
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    staticCSP: true,
    // The plugin's CSP asks browsers to fetch the page's scripts and styles over HTTPS, which breaks
    // the page where the API is served over plain HTTP (locally, or behind a proxy that ends TLS).
    transformStaticCSP: (header) => header.replace(/\s*upgrade-insecure-requests;?/g, ''),
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
