import { HttpAuthService, LoggerService } from '@backstage/backend-plugin-api';
import express from 'express';
import Router from 'express-promise-router';
import { PlanReader } from '../plans/types';
import { WorkloadsService } from '../workloads/types';
import { parseListPlansQuery } from './request/parseListPlansQuery';
import { parseWorkloadsQuery } from './request/parseWorkloadsQuery';
import { mapDatabaseErrors } from './databaseErrors';
import { clusterAuthMiddleware } from './clusterAuthMiddleware';
import { MAX_DIAGNOSIS_BODY } from './diagnosisRouter';

export interface RouterOptions {
  httpAuth: HttpAuthService;
  workloads: WorkloadsService;
  plans: PlanReader;
  /** Byte cap of JSON request bodies (`kubecopilot.limits.maxBodyBytes`); default 64 kB. */
  maxBodyBytes?: number;
  /** Routers of other concerns (plan writes, diagnoses), mounted after these. */
  routes?: express.Router[];
  /** Where an unreachable database's driver error is logged (the caller gets a 503). */
  logger?: LoggerService;
}

/**
 * The HTTP API. Routes parse, take credentials and call a service; errors
 * are `@backstage/errors`, turned into responses by the root error handler.
 */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, workloads, plans } = options;
  const router = Router();
  // Bodies are small JSON documents; anything larger is refused with a 413.
  // A diagnosis request is a few hundred bytes and gets its own, smaller cap;
  // it must be parsed here, before the general parser, because a body is
  // parsed once and the diagnosis router's own parser would then be skipped.
  router.post('/diagnoses', express.json({ limit: MAX_DIAGNOSIS_BODY }));
  router.use(express.json({ limit: options.maxBodyBytes ?? 64 * 1024 }));
  // The user's own cluster credentials, for this request's reads only.
  router.use(clusterAuthMiddleware());

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/workloads', async (req, res) => {
    const { entityRef } = parseWorkloadsQuery(req.query);
    const credentials = await httpAuth.credentials(req);
    res.json(await workloads.getWorkloads(entityRef, { credentials }));
  });

  router.get('/plans', async (req, res) => {
    const query = parseListPlansQuery(req.query);
    const credentials = await httpAuth.credentials(req);
    res.json(await plans.listPlans(query, { credentials }));
  });

  router.get('/plans/:id', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    res.json(await plans.getPlan(req.params.id, { credentials }));
  });

  for (const routes of options.routes ?? []) {
    router.use(routes);
  }
  // An unreachable database answers 503, not a 500 with the driver's message.
  router.use(mapDatabaseErrors(options.logger));

  return router;
}
