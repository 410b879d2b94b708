import type { App } from '../domain/types.js';
import type { CallbackVerifier } from './callback-ports.js';
import type { ServiceContext } from './context.js';
import { AdminInputError, FieldReader } from './fixture-input.js';
import { readCallback, toFixtureCallback } from './fixture.js';

async function findApp(ctx: ServiceContext, agentid: number, corpid: string | undefined): Promise<App> {
  const apps = (await ctx.store.read((tx) => tx.appsWithAgentid(agentid))).filter((app) => corpid === undefined || app.corpid === corpid);
  if (apps.length === 0) throw new AdminInputError('agentid', `no app ${agentid}${corpid ? ` in corp ${corpid}` : ''}`, 404);
  if (apps.length > 1) throw new AdminInputError('corpid', `app ${agentid} exists in several corps (${apps.map((a) => a.corpid).join(', ')}): add ?corpid=`);
  return apps[0]!;
}

/**
 * `PUT /admin/apps/{agentid}/callback` (issue 3): like WeCom, saving a callback first verifies the URL
 * (behaviour §4.1) and refuses the config when the receiver does not answer the echo. A body of `null` removes it.
 */
export async function configureCallback(ctx: ServiceContext, verifier: CallbackVerifier, agentid: number, corpid: string | undefined, body: unknown) {
  const app = await findApp(ctx, agentid, corpid);
  const callback = body === null ? null : readCallback(FieldReader.object(body, ''));
  if (callback) {
    try {
      await verifier.verify(app.corpid, callback);
    } catch (error) {
      throw new AdminInputError('url', `URL verification failed: ${(error as Error).message}`, 422);
    }
  }
  await ctx.store.write((tx) => tx.setAppCallback(app.corpid, app.agentid, callback));
  return { corpid: app.corpid, agentid: app.agentid, callback: callback && toFixtureCallback(callback) };
}

export async function redeliverEvent(ctx: ServiceContext, id: number): Promise<{ id: number; status: 'pending' }> {
  const done = await ctx.store.write((tx) => tx.redeliver(id));
  if (!done) throw new AdminInputError('id', `event ${id} does not exist, has no recipient app, or is not dead or delivered`, 409);
  return { id, status: 'pending' };
}
