import { HttpAuthService } from '@backstage/backend-plugin-api';
import {
  METRICS_RANGES,
  MetricsRange,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { PrometheusMetricsService } from '../metrics/PrometheusMetricsService';
import { SloService } from '../slo/SloService';
import { parseEntityRefQuery } from './request/parseEntityRefQuery';
import { parseQuery } from './request/parseQuery';

const metricsQuerySchema = z.object({
  entityRef: z.string({ error: 'entityRef is required' }).min(1).max(512),
  range: z
    .enum(METRICS_RANGES, {
      error: `range must be one of ${METRICS_RANGES.join(', ')}`,
    })
    .default('1h'),
});

/** `GET /metrics?entityRef=&range=` */
export function parseMetricsQuery(query: unknown) {
  const parsed = parseQuery(metricsQuerySchema, query);
  return {
    entityRef: parseEntityRefQuery(parsed.entityRef),
    range: parsed.range as MetricsRange,
  };
}

const slosQuerySchema = z.object({
  entityRef: z.string({ error: 'entityRef is required' }).min(1).max(512),
});

/** `GET /metrics`: the entity's charts; `GET /slos`: its SLOs and budgets. */
export function createMetricsRouter(options: {
  httpAuth: HttpAuthService;
  metrics: PrometheusMetricsService;
  slos: SloService;
}): express.Router {
  const router = Router();
  router.get('/metrics', async (req, res) => {
    const { entityRef, range } = parseMetricsQuery(req.query);
    const credentials = await options.httpAuth.credentials(req);
    res.json(
      await options.metrics.getMetrics(entityRef, range, { credentials }),
    );
  });
  router.get('/slos', async (req, res) => {
    const { entityRef } = parseQuery(slosQuerySchema, req.query);
    const credentials = await options.httpAuth.credentials(req);
    res.json(
      await options.slos.getSlos(parseEntityRefQuery(entityRef), {
        credentials,
      }),
    );
  });
  return router;
}
