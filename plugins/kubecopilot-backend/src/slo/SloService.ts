import {
  BackstageCredentials,
  LoggerService,
  PermissionsService,
  UrlReaderService,
} from '@backstage/backend-plugin-api';
import {
  CompoundEntityRef,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { isError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { ScmIntegrationRegistry } from '@backstage/integration';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  kubecopilotDiagnosePermission,
  SlosResponse,
  SloStatus,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { MetricsClient } from '../prometheus';
import { FAST_BURN_THRESHOLD, SLOW_BURN_THRESHOLD } from '../risk/budgetRules';
import { ErrorBudgetFact, ErrorBudgetSource } from '../risk/types';
import { errorRatioQuery, parseOpenSlo, SloDefinition } from './openslo';
import { locateOpenSlo, readOpenSloFile } from './readOpenSloFile';

/** The burn-rate alerts of the Google SRE workbook (chapter 5, table 5-8). */
export const BURN_ALERTS = [
  {
    name: 'fast-burn',
    longWindow: '1h',
    shortWindow: '5m',
    threshold: FAST_BURN_THRESHOLD,
  },
  {
    name: 'slow-burn',
    longWindow: '6h',
    shortWindow: '30m',
    threshold: SLOW_BURN_THRESHOLD,
  },
] as const;

const BURN_WINDOWS = ['5m', '30m', '1h', '6h'];

/** A plan waits at most this long for its entity's error budget. */
export const SLO_RISK_TIMEOUT_MS = 2_000;

/** The cluster name an SLO without `metricSourceRef` is asked under (`kubecopilot.prometheus.baseUrl`). */
export const DEFAULT_SLO_CLUSTER = 'default';

class Unanswered extends Error {
  constructor(
    readonly state: 'not-configured' | 'unreachable' | 'error',
    message: string,
  ) {
    super(message);
  }
}

/**
 * SLOs as code: the entity's OpenSLO file (annotation `kubecopilot.io/openslo`,
 * read with the UrlReader relative to its source location), each SLO's SLI,
 * remaining error budget and multi-window burn rates from Prometheus. Reading
 * needs the `kubecopilot.diagnose` permission, like the entity's workloads;
 * an invalid file is reported in `problems`, never thrown.
 */
export class SloService {
  constructor(
    private readonly deps: {
      catalog: CatalogService;
      permissions: PermissionsService;
      reader: UrlReaderService;
      integrations: ScmIntegrationRegistry;
      metrics: MetricsClient;
      /** Deadline of one `GET /slos`, in ms. */
      timeoutMs: number;
      logger?: LoggerService;
    },
  ) {}

  async getSlos(
    entityRef: CompoundEntityRef,
    options: { credentials: BackstageCredentials; timeoutMs?: number },
  ): Promise<SlosResponse> {
    const ref = stringifyEntityRef(entityRef);
    const [decision] = await this.deps.permissions.authorize(
      [{ permission: kubecopilotDiagnosePermission }],
      { credentials: options.credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(`Not allowed to read the SLOs of ${ref}`);
    }
    return this.readSlos(entityRef, options);
  }

  /** The SLOs without the permission check: for scoring a plan's risk. */
  private async readSlos(
    entityRef: CompoundEntityRef,
    options: { credentials: BackstageCredentials; timeoutMs?: number },
  ): Promise<SlosResponse> {
    const ref = stringifyEntityRef(entityRef);
    const entity = await this.deps.catalog.getEntityByRef(entityRef, {
      credentials: options.credentials,
    });
    if (!entity) throw new NotFoundError(`Entity '${ref}' not found`);
    const entityRefText = stringifyEntityRef(entity);

    const location = locateOpenSlo(entity, this.deps.integrations);
    if (!location) {
      return {
        entityRef: entityRefText,
        declared: false,
        slos: [],
        problems: [],
      };
    }
    const none = { entityRef: entityRefText, declared: true, slos: [] };
    if ('problem' in location) return { ...none, problems: [location.problem] };
    const deadline = AbortSignal.timeout(
      options.timeoutMs ?? this.deps.timeoutMs,
    );
    const source =
      location.type === 'file' ? `file:${location.target}` : location.target;
    const file = await readOpenSloFile(location, this.deps.reader, deadline);
    if ('problem' in file) return { ...none, source, problems: [file.problem] };
    const { slos, problems } = parseOpenSlo(file.text);
    if (slos.length === 0 && problems.length === 0) {
      problems.push('the OpenSLO file holds no kind: SLO document');
    }
    return {
      ...none,
      source,
      slos: await Promise.all(
        slos.map(slo => this.evaluate(slo, deadline, options.timeoutMs)),
      ),
      problems,
    };
  }

  /**
   * The budget a plan's risk is scored with: the SLO closest to trouble, or
   * why it is unknown; undefined when the entity declares no SLO.
   */
  async errorBudget(
    entityRef: CompoundEntityRef,
    options: { credentials: BackstageCredentials; timeoutMs: number },
  ): Promise<ErrorBudgetFact | undefined> {
    let response: SlosResponse;
    try {
      // The plan's author may draft without the diagnose permission; the
      // budget is part of the plan's risk, which they see anyway.
      response = await this.readSlos(entityRef, options);
    } catch (error) {
      return {
        state: 'unknown',
        reason: isError(error) ? error.message : String(error),
      };
    }
    if (!response.declared) return undefined;
    if (response.slos.length === 0) {
      return { state: 'unknown', reason: response.problems.join('; ') };
    }
    const known = response.slos.filter(
      s =>
        s.state === 'ok' && s.sli !== null && s.errorBudgetRemaining !== null,
    );
    const firing = (s: SloStatus, name: string) =>
      s.alerts.some(a => a.name === name && a.firing === true);
    const worst = [...known].sort(
      (a, b) =>
        Number(firing(b, 'fast-burn')) - Number(firing(a, 'fast-burn')) ||
        a.errorBudgetRemaining! - b.errorBudgetRemaining!,
    )[0];
    const unknown = response.slos.find(s => s.state !== 'ok');
    if (
      unknown &&
      !(
        worst &&
        (worst.errorBudgetRemaining! <= 0 || firing(worst, 'fast-burn'))
      )
    ) {
      return {
        state: 'unknown',
        slo: unknown.name,
        reason:
          unknown.message ?? `no traffic measured over ${unknown.timeWindow}`,
      };
    }
    if (!worst) return undefined;
    return {
      state: 'known',
      slo: worst.name,
      target: worst.target,
      timeWindow: worst.timeWindow,
      remaining: worst.errorBudgetRemaining!,
      sli: worst.sli!,
      burnRates: Object.fromEntries(
        worst.burnRates.map(b => [b.window, b.value]),
      ),
      fastBurn: firing(worst, 'fast-burn'),
      slowBurn: firing(worst, 'slow-burn'),
    };
  }

  /**
   * The error budget as plans read it: within `timeoutMs` (a plan never
   * waits longer on Prometheus), by entity ref text.
   */
  budgetSource(timeoutMs: number): ErrorBudgetSource {
    return (ref, credentials) =>
      this.errorBudget(parseEntityRef(ref), { credentials, timeoutMs });
  }

  private async evaluate(
    slo: SloDefinition,
    deadline: AbortSignal,
    timeoutMs = this.deps.timeoutMs,
  ): Promise<SloStatus> {
    const cluster = slo.cluster ?? DEFAULT_SLO_CLUSTER;
    const windows = [
      slo.timeWindow,
      ...BURN_WINDOWS.filter(w => w !== slo.timeWindow),
    ];
    const queries = windows.map(window => ({
      window,
      promql: errorRatioQuery(slo, window),
    }));
    const base = {
      name: slo.name,
      displayName: slo.displayName,
      description: slo.description,
      target: slo.target,
      timeWindow: slo.timeWindow,
      cluster: slo.cluster,
      queries,
    };
    const empty = {
      ...base,
      sli: null,
      errorBudgetRemaining: null,
      burnRates: BURN_WINDOWS.map(window => ({ window, value: null })),
      alerts: BURN_ALERTS.map(a => ({ ...a, firing: null })),
    };
    if (!this.deps.metrics.isConfigured(cluster)) {
      return {
        ...empty,
        state: 'not-configured',
        message: slo.cluster
          ? `No Prometheus is configured for metricSourceRef '${slo.cluster}' (kubecopilot.prometheus.clusters)`
          : 'No Prometheus is configured (kubecopilot.prometheus.baseUrl), and the SLO names no metricSourceRef',
      };
    }
    let ratios: (number | null)[];
    try {
      ratios = await Promise.all(
        queries.map(q => this.ratio(cluster, q.promql, deadline, timeoutMs)),
      );
    } catch (error) {
      if (!(error instanceof Unanswered)) throw error;
      return { ...empty, state: error.state, message: error.message };
    }
    const budget = 1 - slo.target;
    const ratioOf = (window: string) => ratios[windows.indexOf(window)];
    const burn = (window: string) => {
      const r = ratioOf(window);
      return r === null ? null : r / budget;
    };
    const overall = ratioOf(slo.timeWindow);
    return {
      ...base,
      state: overall === null ? 'no-data' : 'ok',
      ...(overall === null
        ? { message: `no ${slo.events} or total events over ${slo.timeWindow}` }
        : {}),
      sli: overall === null ? null : 1 - overall,
      errorBudgetRemaining: overall === null ? null : 1 - overall / budget,
      burnRates: BURN_WINDOWS.map(window => ({ window, value: burn(window) })),
      alerts: BURN_ALERTS.map(a => {
        const long = burn(a.longWindow);
        const short = burn(a.shortWindow);
        return {
          ...a,
          firing:
            long === null || short === null
              ? null
              : long >= a.threshold && short >= a.threshold,
        };
      }),
    };
  }

  /** The error ratio (0..1), null without traffic. */
  private async ratio(
    cluster: string,
    promql: string,
    deadline: AbortSignal,
    timeoutMs: number,
  ): Promise<number | null> {
    try {
      const { value } = await this.deps.metrics.query(cluster, promql, {
        signal: deadline,
      });
      return value === null ? null : Math.min(1, Math.max(0, value));
    } catch (error) {
      if (deadline.aborted) {
        throw new Unanswered(
          'unreachable',
          `Prometheus for cluster '${cluster}' did not answer within ${timeoutMs} ms`,
        );
      }
      const name = isError(error) ? error.name : '';
      const message = isError(error) ? error.message : String(error);
      if (name === 'ServiceUnavailableError')
        throw new Unanswered('unreachable', message);
      if (name === 'NotFoundError')
        throw new Unanswered('not-configured', message);
      throw new Unanswered('error', message);
    }
  }
}
