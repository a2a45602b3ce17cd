import { PrometheusMetricsService } from '../metrics/PrometheusMetricsService';
import { QueryService } from '../query/QueryService';
import { createAlertsRouter } from '../service/alertsRouter';
import { createAuditRouter } from '../service/auditRouter';
import { createDiagnosisRouter } from '../service/diagnosisRouter';
import { createEventsRouter } from '../service/eventsRouter';
import { createFindingsRouter } from '../service/findingsRouter';
import { createMetricsRouter } from '../service/metricsRouter';
import { createPlanRouter } from '../service/planRouter';
import { createPostmortemsRouter } from '../service/postmortemsRouter';
import { createQueryRouter } from '../service/queryRouter';
import { createRouter } from '../service/router';
import { createYamlRouter } from '../service/yamlRouter';
import { createManifestService } from '../yaml/ManifestService';
import { createManifestModelExplainer } from '../yaml/ModelExplainer';
import { Core } from './core';
import { Features } from './features';

/** The HTTP API: one router per resource, composed by `createRouter`. */
export async function createHttpRouter(core: Core, features: Features) {
  const { deps, limits, workloads, kubernetes } = core;
  const { httpAuth, config, permissions, logger } = deps;
  return createRouter({
    httpAuth,
    workloads,
    maxBodyBytes: limits.maxBodyBytes,
    logger,
    routers: {
      diagnoses: await createDiagnosisRouter({
        httpAuth,
        rateLimit: limits.rateLimits.diagnoses,
        diagnoses: features.diagnoses,
      }),
      query: createQueryRouter({
        httpAuth,
        rateLimit: limits.rateLimits.query,
        queries: new QueryService({ kubernetes, workloads, permissions }),
      }),
      plans: createPlanRouter({
        httpAuth,
        reader: core.plans,
        services: features.planServices,
        rateLimit: limits.rateLimits.plans,
      }),
      postmortems: createPostmortemsRouter({
        httpAuth,
        postmortems: features.postmortems,
      }),
      alerts: createAlertsRouter({
        httpAuth,
        alerts: features.alerts.service,
        reader: features.alerts.reader,
      }),
      findings: createFindingsRouter({
        httpAuth,
        findings: features.findings.reader,
      }),
      yaml: createYamlRouter({
        httpAuth,
        // Asks the model like a diagnosis: the same per-caller limit.
        rateLimit: limits.rateLimits.diagnoses,
        manifests: createManifestService({
          config,
          kubernetes,
          catalog: deps.catalog,
          permissions,
          metrics: core.prometheus,
          explainer: await createManifestModelExplainer(config, {
            llmBudget: limits.llmBudget,
            cache: core.cache,
          }),
        }),
      }),
      metrics: createMetricsRouter({
        httpAuth,
        metrics: new PrometheusMetricsService({
          workloads,
          client: core.prometheus,
          config: core.prometheusConfig.metrics,
          logger,
        }),
        slos: features.slos,
      }),
      audit: createAuditRouter({ httpAuth, audit: features.audit }),
      events: createEventsRouter({ httpAuth, events: features.events }),
    },
  });
}
