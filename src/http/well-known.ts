import { requestOrigin } from './web-requests.js';
import type { FastifyInstance } from 'fastify';
import { CognitoError } from '../domain/errors.js';
import type { Services } from '../domain/services.js';

/** The discovery documents relying parties fetch from `<issuer>/.well-known/…`. */
export function registerWellKnown(app: FastifyInstance, services: Services): void {
  app.get<{ Params: { poolId: string } }>('/:poolId/.well-known/jwks.json', async (request, reply) => {
    const pool = await findPool(services, request.params.poolId);
    if (!pool) return reply.code(404).send({ message: `User pool ${request.params.poolId} does not exist.` });
    return reply.header('cache-control', 'public, max-age=300').send(await services.signingKeys.jwks(pool));
  });

  app.get<{ Params: { poolId: string } }>('/:poolId/.well-known/openid-configuration', async (request, reply) => {
    const pool = await findPool(services, request.params.poolId);
    if (!pool) return reply.code(404).send({ message: `User pool ${request.params.poolId} does not exist.` });
    const { issuerBase } = await services.replicas.view(pool);
    return reply.send(services.issuers.discoveryDocument(pool, requestOrigin(request), issuerBase));
  });
}

async function findPool(services: Services, poolId: string): Promise<string | undefined> {
  try {
    return (await services.pools.get(poolId)).id;
  } catch (error) {
    if (error instanceof CognitoError) return undefined;
    throw error;
  }
}
