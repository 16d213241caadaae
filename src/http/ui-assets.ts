import type { FastifyInstance } from 'fastify';
import { UI_ASSETS_PATH } from '../domain/managed-login/ui-customization.js';
import type { Services } from '../domain/services.js';
import { PASSKEY_SCRIPT, PASSKEY_SCRIPT_PATH } from './hosted/passkey-script.js';

/**
 * The hosted UI logos that SetUICustomization stores, at the ImageUrl it answers. The version in the
 * path only makes a new logo a new URL; whatever it says, the current logo is served, and revalidated
 * each time since two logos set within a second share a version.
 */
export function registerUiAssets(app: FastifyInstance, services: Pick<Services, 'uiCustomizations'>): void {
  app.get(PASSKEY_SCRIPT_PATH, (_request, reply) => reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=300').send(PASSKEY_SCRIPT));
  app.get<{ Params: { poolId: string; clientId: string; version: string } }>(`${UI_ASSETS_PATH}/:poolId/:clientId/:version/logo`, async (request, reply) => {
    const logo = await services.uiCustomizations.logo(request.params.poolId, request.params.clientId);
    if (!logo) return reply.code(404).send({ message: 'No such image.' });
    return reply.header('content-type', logo.contentType).header('cache-control', 'no-cache').send(logo.bytes);
  });
}
