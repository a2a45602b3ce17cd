import { HttpAuthService, LoggerService } from '@backstage/backend-plugin-api';
import express from 'express';
import Router from 'express-promise-router';
import { WorkloadsService } from '../workloads/types';
import { parseWorkloadsQuery } from './request/parseWorkloadsQuery';
import { mapDatabaseErrors } from './databaseErrors';
import { clusterAuthMiddleware } from './clusterAuthMiddleware';
import { MAX_DIAGNOSIS_BODY } from './diagnosisRouter';
import { MAX_ALERTS_BODY } from './alertsRouter';

export interface RouterOptions {
  httpAuth: HttpAuthService;
  workloads: WorkloadsService;
  /** Byte cap of JSON request bodies (`kubecopilot.limits.maxBodyBytes`); default 64 kB. */
  maxBodyBytes?: number;
  /** The API by resource; each router holds every route of its resource. */
  routers: {
    diagnoses: express.Router;
    query: express.Router;
    plans: express.Router;
    audit: express.Router;
    /** `GET /metrics` and `GET /slos` (#14). */
    metrics?: express.Router;
    /** `GET /findings` (#15). */
    findings?: express.Router;
    /** `POST /alerts` (Alertmanager) and `GET /alerts` (#15). */
    alerts?: express.Router;
    /** `POST|GET /postmortems`, `GET|PUT /postmortems/:id` (#15). */
    postmortems?: express.Router;
    /** `GET /yaml/manifests` and `POST /yaml/check` (#16). */
    yaml?: express.Router;
    /** `GET /events`: an entity's events timeline (#19). */
    events?: express.Router;
  };
  /** Where an unreachable database's driver error is logged (the caller gets a 503). */
  logger?: LoggerService;
}

/**
 * The HTTP API: shared middleware (body caps, the user's cluster
 * credentials), `/health` and `/workloads`, then one router per resource
 * (diagnoses, query, plans, audit), then the database error mapping. Routes parse, take credentials and call a service; errors
 * are `@backstage/errors`, turned into responses by the root error handler.
 */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, workloads, routers } = options;
  const router = Router();
  // Bodies are small JSON documents; anything larger is refused with a 413.
  // A diagnosis request is a few hundred bytes and gets its own, smaller cap;
  // it must be parsed here, before the general parser, because a body is
  // parsed once and the diagnosis router's own parser would then be skipped.
  router.post('/diagnoses', express.json({ limit: MAX_DIAGNOSIS_BODY }));
  // An Alertmanager notification may carry many alerts: a larger cap.
  router.post('/alerts', express.json({ limit: MAX_ALERTS_BODY }));
  // An edited postmortem is a Markdown document of up to 200k characters.
  router.put('/postmortems/:id', express.json({ limit: '1mb' }));
  router.use(express.json({ limit: options.maxBodyBytes ?? 64 * 1024 }));
  // The user's own cluster credentials, for this request's reads only.
  router.use(clusterAuthMiddleware());

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/workloads', async (req, res) => {
    const { entityRef, relations } = parseWorkloadsQuery(req.query);
    const credentials = await httpAuth.credentials(req);
    res.json(
      await workloads.getWorkloads(entityRef, { credentials, relations }),
    );
  });

  router.use(routers.diagnoses);
  router.use(routers.query);
  router.use(routers.plans);
  router.use(routers.audit);
  if (routers.metrics) router.use(routers.metrics);
  if (routers.findings) router.use(routers.findings);
  if (routers.alerts) router.use(routers.alerts);
  if (routers.postmortems) router.use(routers.postmortems);
  if (routers.yaml) router.use(routers.yaml);
  if (routers.events) router.use(routers.events);
  // An unreachable database answers 503, not a 500 with the driver's message.
  router.use(mapDatabaseErrors(options.logger));

  return router;
}
