import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  /** Configuration of the KubeCopilot plugins. */
  kubecopilot?: {
    /**
     * Alertmanager's webhook (`POST /api/kubecopilot/alerts`, service
     * principals only: give Alertmanager a `backend.auth.externalAccess`
     * static token in its `http_config.authorization`).
     */
    alerts?: {
      /** The alert labels that map an alert to a catalog entity. */
      labels?: {
        /** A label holding an entity ref; wins over the others. Default `backstage_entity`. */
        entity?: string;
        /** Default `cluster`. */
        cluster?: string;
        /** Default `namespace`. */
        namespace?: string;
        /** Default `deployment`. */
        deployment?: string;
        /** Default `statefulset`. */
        statefulset?: string;
        /** Default `daemonset`. */
        daemonset?: string;
        /** Default `pod`. */
        pod?: string;
      };
      /** The cluster of alerts without a cluster label, when there are several clusters. */
      defaultCluster?: string;
      /** Diagnose (rules only) the entity of a newly firing alert. Default true. */
      diagnose?: boolean;
      /**
       * The notification severity of alerts without a `severity` label
       * (`info`, `warning`, `error`, `critical`). Default `warning`.
       */
      defaultSeverity?: string;
    };
    /**
     * The findings scan (off unless `scan.enabled`): diagnoses every catalog
     * entity with Kubernetes annotations on a schedule, as the plugin's own
     * service principal, and keeps what it finds (`GET /findings`).
     */
    findings?: {
      scan?: {
        /** Default false. */
        enabled?: boolean;
        /**
         * A Backstage task schedule (`frequency`, `timeout`, `initialDelay`,
         * each a duration like `{ minutes: 10 }` or an ISO 8601 string; or a
         * cron `frequency`). The task runs once across replicas. Default
         * every 10 minutes, 5 minutes timeout, 30 s initial delay.
         */
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
        /**
         * A catalog filter narrowing the entities scanned, e.g.
         * `{ kind: component, spec.lifecycle: production }`; entities must
         * also carry `backstage.io/kubernetes-id` or
         * `backstage.io/kubernetes-label-selector`.
         */
        filter?: { [key: string]: string | string[] };
        /**
         * Let the configured LLM explain too (each scanned entity counts
         * against the plugin's token budget). Default false: rules only.
         */
        useLlm?: boolean;
        /** Entities diagnosed at once, 1–16. Default 2. */
        concurrency?: number;
        /**
         * The scan stores a diagnosis (with its `diagnosis.created` audit
         * entry) only when what it found changed — the findings'
         * fingerprints and severities, or whether every cluster could be
         * read — or when the last one it stored for the entity is this old.
         * Otherwise findings are still reconciled (last seen moves) against
         * the diagnosis stored before. A duration (`{ hours: 24 }`, `PT24H`,
         * `24h`); keep it well under `diagnoses.retention.maxAgeDays`.
         * Default 24 hours. People's own diagnoses are always stored.
         */
        recordEvery?:
          | string
          | {
              days?: number;
              hours?: number;
              minutes?: number;
              seconds?: number;
            };
      };
      notify?: {
        /**
         * The least severe finding the entity's owner is notified of
         * (`info`, `warning`, `error`, `critical`). Default `warning`.
         */
        minSeverity?: string;
      };
      /**
       * A pending draft plan for a newly opened finding whose proposed fix
       * is one of `actions` (and not marked as one that will not help).
       * Drafted only: never approved or executed by the scan.
       */
      draftPlans?: {
        /** Default false. */
        enabled?: boolean;
        /** Default `[restart, rollback]`. */
        actions?: string[];
      };
    };
    /**
     * The LLM that writes diagnoses, plans from free-form intents and the
     * rationale of canary plans (never their steps). Without one
     * (`provider: none`, the default) the rule-based analyzers, the
     * deterministic intent parser and the canary generator answer alone.
     */
    llm?: {
      /**
       * `none` (default), `openai`, `azure-openai`, or `openai-compatible`
       * (any server speaking the OpenAI chat completions API, e.g. vLLM, Ollama).
       */
      provider?: 'none' | 'openai' | 'azure-openai' | 'openai-compatible';
      /**
       * API base URL. Required for `azure-openai` (the resource endpoint) and
       * `openai-compatible`; optional for `openai`.
       */
      baseUrl?: string;
      /**
       * API key.
       * @visibility secret
       */
      apiKey?: string;
      /** Model name. Default `gpt-4o-mini`. */
      model?: string;
      /** Azure OpenAI: the deployment name (default: `model`). */
      deployment?: string;
      /** Azure OpenAI: the API version. Default `2024-10-21`. */
      apiVersion?: string;
      /**
       * Deadline of one LLM call in milliseconds, retries included; past it
       * the rules answer. Default 30000.
       */
      timeoutMs?: number;
      /** Retries of a failed LLM call (429, 5xx, connection errors). Default 2. */
      maxRetries?: number;
      /**
       * Longest `Retry-After` of a 429 that is waited for, in milliseconds;
       * a longer one gives up at once. Default 10000.
       */
      maxRetryAfterMs?: number;
      /** Hard cap on the tokens of the context sent with a prompt. Default 12000. */
      maxPromptTokens?: number;
      /** Cap on the tokens of the model's answer. Default 2000. */
      maxCompletionTokens?: number;
      /**
       * `json_schema` (structured outputs, default) or `json_object` for
       * OpenAI-compatible servers that lack structured outputs.
       */
      responseFormat?: 'json_schema' | 'json_object';
      /**
       * Folder of the versioned prompt files (`<name>/vN.md`). Default: the
       * prompts shipped with the package.
       */
      promptsDir?: string;
    };

    /**
     * Settings read by the example permission policy in this repository's
     * `packages/backend` (not by the plugin itself).
     */
    examplePolicy?: {
      /** Members may approve, execute and revert high-risk plans. Default `group:default/sre`. */
      highRiskGroup?: string;
    };

    /** Stored diagnoses (the entity's "Recent diagnoses"). */
    diagnoses?: {
      /**
       * A scheduled prune, once across replicas: diagnoses older than
       * `maxAgeDays` are deleted, except each entity's newest
       * `keepPerEntity`, however old. Audit entries are never deleted (they
       * form the hash chain): a `diagnosisId` in one, or in a finding, may
       * name a diagnosis that is gone.
       */
      retention?: {
        /** Default true. */
        enabled?: boolean;
        /** Whole days, at least 1. Default 30. */
        maxAgeDays?: number;
        /** Kept per entity whatever their age, 0 or more. Default 20. */
        keepPerEntity?: number;
        /** A Backstage task schedule. Default every 6 hours, 15 minutes timeout, 5 minutes initial delay. */
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      };
    };

    /** Gathering the context of a diagnosis. */
    diagnosis?: {
      /** Deadline of each event, log and metadata read, in ms. Default 5000. */
      callTimeoutMs?: number;
      /** Deadline of the entity's workloads query, in ms. Default 15000. */
      workloadsTimeoutMs?: number;
      /** Log lines read per container (and per previous container). Default 200. */
      tailLines?: number;
      /** Byte cap of each log read (`limitBytes`). Default 131072. */
      logLimitBytes?: number;
      /** Pods whose logs are read, worst first. Default 20. */
      maxLogPods?: number;
    };

    /** The risk engine. */
    risk?: {
      /** Namespaces whose plans are raised one risk level. */
      productionNamespaces?: string[];
    };

    /** Plan approval. */
    approval?: {
      /**
       * Risk levels at which a plan needs an approver other than its
       * requester. Default: `[high]`.
       */
      secondApproverFor?: Array<'low' | 'medium' | 'high'>;
    };

    /** Plan lifecycle. */
    plans?: {
      /** Pending plans older than this expire (status `expired`). Default 72. */
      expireAfterHours?: number;
      /**
       * The most replicas any plan may set, whether through `scale`,
       * `update` or a model's recommendation (whole numbers from 0 up to
       * this). Default 1000.
       */
      maxReplicas?: number;
    };

    /** How KubeCopilot uses Backstage's cache service (`backend.cache`). */
    cache?: {
      /**
       * Deadline of one cache operation in milliseconds; past it the
       * operation counts as a miss (a shared store that is reconnecting
       * must not hang requests). Default 250.
       */
      timeoutMs?: number;
    };

    /** The scheduled plan maintenance task (once across replicas). */
    maintenance?: {
      /**
       * Seconds after start-up before the first run, which settles plans a
       * stopped backend left `executing` and expires stale ones. Default 5.
       */
      initialDelaySeconds?: number;
      /**
       * Seconds after an execution started during which maintenance leaves
       * a plan `executing` alone, because another replica may still be
       * writing it. Must exceed the longest execute (re-read, dry run and
       * write, each with `kubecopilot.kubernetes` deadlines). Default 60.
       */
      executingGraceSeconds?: number;
    };

    /**
     * Canary plans (`POST /plans/canary`, the `kubecopilot:plan:create-canary`
     * scaffolder action, or an intent like "canary checkout to v2 at 10%,
     * then 50%, then 100%, rollback if error rate > 1% or p99 > 500 ms").
     */
    canary?: {
      /**
       * How each gate samples its Prometheus query when the request does not
       * say: wait `delaySeconds` after the step, then take `samples` samples
       * `intervalSeconds` apart over rates of the last `window`.
       */
      analysis?: {
        /** Default 30. */
        delaySeconds?: number;
        /** Default 30. */
        intervalSeconds?: number;
        /** Default 3. */
        samples?: number;
        /** A PromQL range such as `30s`, `1m` or `1h`. Default `1m`. */
        window?: string;
      };
    };

    /** Plan execution. */
    actions?: {
      /**
       * `action:Kind` pairs that may be executed, e.g. `restart:Deployment`,
       * `canary:Deployment` or `blue-green:Deployment`.
       * Can only narrow the built-in whitelist, never widen it.
       */
      allow?: string[];
    };

    /** How KubeCopilot reaches clusters, through the Kubernetes backend plugin. */
    kubernetes?: {
      /**
       * Deadline of every request to the Kubernetes backend (one attempt),
       * in milliseconds. Default 10000.
       */
      timeoutMs?: number;
      /**
       * Retries of a read that failed with 429, a 5xx or a connection error,
       * with capped, jittered backoff honouring Retry-After. Writes are never
       * retried. Default 2.
       */
      readRetries?: number;
    };

    /**
     * Prometheus, for the metric gates of canary rollouts, the entity's
     * charts and its OpenSLO SLOs. Each query goes to the Prometheus of the
     * cluster: the cluster's entry in `clusters`, else `baseUrl`. An SLO's
     * `metricSourceRef` names the cluster (none: `baseUrl`).
     */
    prometheus?: {
      /**
       * Prometheus of every cluster without an entry in `clusters`, e.g.
       * `http://prometheus.monitoring:9090` (a path prefix is kept).
       */
      baseUrl?: string;
      /** Deadline of one query, in milliseconds (1–300000). Default 10000. */
      timeoutMs?: number;
      /** Prometheus per cluster (the Kubernetes plugin's cluster names). */
      clusters?: Array<{
        /** Cluster name, as in `kubernetes.clusterLocatorMethods`. */
        cluster: string;
        /** Prometheus base URL, e.g. `https://prometheus.east.example.com`. */
        baseUrl: string;
        /**
         * Headers sent with every query, e.g. `Authorization: Bearer ...`;
         * never logged nor shown.
         * @visibility secret
         */
        headers?: { [name: string]: string };
      }>;
      /**
       * PromQL templates of the canary gates, for clusters whose metrics are
       * named differently (e.g. Istio's `istio_requests_total`).
       * Placeholders: `{{namespace}}`, `{{deployment}}` (the canary
       * Deployment, required; both escaped for double-quoted strings) and
       * `{{window}}` (the rate range, e.g. `1m`). The query must return one
       * value: aggregate it (e.g. `sum(...)`).
       */
      queries?: {
        /**
         * Fraction (0–1) of the canary's requests that failed. Default
         * `sum(rate(http_requests_total{namespace="{{namespace}}",deployment="{{deployment}}",code=~"5.."}[{{window}}])) / sum(rate(http_requests_total{namespace="{{namespace}}",deployment="{{deployment}}"}[{{window}}]))`.
         */
        errorRate?: string;
        /**
         * 99th percentile latency of the canary, in seconds. Default
         * `histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{namespace="{{namespace}}",deployment="{{deployment}}"}[{{window}}])))`.
         */
        p99Latency?: string;
      };
      /**
       * The entity's charts (`GET /metrics`) and SLOs (`GET /slos`): range
       * queries (`/api/v1/query_range`) per workload, with the step sized to
       * the range (1h: 15 s, 6h: 1 min, 24h: 5 min, 7d: 30 min).
       */
      metrics?: {
        /**
         * Deadline of one `GET /metrics` or `GET /slos`, all queries
         * together, in milliseconds (1–60000). Default 8000. A plan's risk
         * waits at most 2000 ms for the entity's error budget.
         */
        timeoutMs?: number;
        /**
         * PromQL templates of the charts. Placeholders: `{{namespace}}`,
         * `{{workload}}` (alias `{{deployment}}`), `{{pod}}` (a regex of the
         * workload's pod names, e.g. `checkout-[a-z0-9]+-[a-z0-9]+`), and
         * `{{window}}` (a rate window of at least two steps and 60 s). Each
         * series is labelled by its `container` label when it has one.
         * Defaults use cAdvisor and kube-state-metrics names, per container
         * the worst pod (`max by (container)`).
         */
        queries?: {
          /** CPU cores used. Default `max by (container) (rate(container_cpu_usage_seconds_total{namespace="{{namespace}}",pod=~"{{pod}}",container!="",container!="POD"}[{{window}}]))`. */
          cpu?: string;
          /** CPU requests, drawn as a line. Default from `kube_pod_container_resource_requests{resource="cpu"}`. */
          cpuRequests?: string;
          /** CPU limits, drawn as a line. Default from `kube_pod_container_resource_limits{resource="cpu"}`. */
          cpuLimits?: string;
          /** Fraction of CFS periods throttled. Default `container_cpu_cfs_throttled_periods_total` over `container_cpu_cfs_periods_total`. */
          throttling?: string;
          /** Memory working set in bytes. Default `max by (container) (container_memory_working_set_bytes{...})`. */
          memory?: string;
          /** Memory requests. Default from `kube_pod_container_resource_requests{resource="memory"}`. */
          memoryRequests?: string;
          /** Memory limits. Default from `kube_pod_container_resource_limits{resource="memory"}`. */
          memoryLimits?: string;
          /** Container restarts. Default `sum by (container) (kube_pod_container_status_restarts_total{...})`. */
          restarts?: string;
          /** Available replicas (Deployments). Default `sum(kube_deployment_status_replicas_available{namespace="{{namespace}}",deployment="{{workload}}"})`. */
          replicas?: string;
          /** Requests per second. Default `sum(rate(http_requests_total{namespace="{{namespace}}",deployment="{{workload}}"}[{{window}}]))`. */
          requestRate?: string;
          /** Fraction of requests that failed. Default: `queries.errorRate`. */
          errorRatio?: string;
          /** 99th percentile latency in seconds. Default: `queries.p99Latency`. */
          p99Latency?: string;
        };
      };
    };

    /**
     * Signed checkpoints of the audit hash chain. A checkpoint is an Ed25519
     * signature over the chain head (entry id, hash, entry count), written on
     * a schedule and with every cluster write, so a database writer who edits
     * an entry and rehashes the chain no longer matches it. Without a key the
     * chain alone is verified (and a warning is logged outside development).
     */
    audit?: {
      /**
       * Ed25519 private key, PEM (PKCS#8), e.g. from
       * `openssl genpkey -algorithm ed25519`. Keep it out of the database's
       * reach: whoever holds it can sign a rewritten chain. Its public half
       * is derived and always verifies.
       * @visibility secret
       */
      signingKey?: string;
      /**
       * Further Ed25519 public keys (PEM, SPKI) that verify checkpoints:
       * retired signing keys after a rotation (keep them, or their
       * checkpoints no longer verify), or the keys of an instance that only
       * verifies.
       */
      publicKeys?: string[];
      checkpoint?: {
        /**
         * How often the chain head is signed, once across replicas (a head
         * already signed is not signed again). An ISO 8601 duration
         * (`PT10M`), a duration string (`10m`) or an object
         * (`{ minutes: 10 }`). Default 10 minutes.
         */
        frequency?:
          | string
          | {
              days?: number;
              hours?: number;
              minutes?: number;
              seconds?: number;
            };
      };
    };

    /**
     * Request limits. Rate-limit counts live in the cache service
     * (`backend.cache`): with a shared store (Redis, Valkey, memcache) a limit
     * holds across replicas; with the default memory store each replica
     * counts on its own. The cache has no atomic increment, so under
     * concurrent requests of one caller a limit is approximate and errs on the
     * permissive side.
     */
    /**
     * What backend modules add through KubeCopilot's extension points
     * (analyzers, risk rules, context providers). See the README,
     * "Extending KubeCopilot".
     */
    extensions?: {
      /**
       * How long a module's analyzer may take for one cluster, in ms;
       * a later answer is dropped with a note on the diagnosis. Default 1000.
       */
      analyzerTimeoutMs?: number;
      /**
       * How long a module's context provider may take for one cluster, in
       * ms, its reads included. Default 2000.
       */
      contextTimeoutMs?: number;
    };
    limits?: {
      /**
       * Byte cap of a JSON request body; a larger body is refused with 413.
       * Default 65536 (64 kB).
       */
      maxBodyBytes?: number;
      /**
       * LLM tokens (prompt + completion, as the endpoint reports them) one
       * user (or service) may spend per UTC day, kept in the database. Once
       * spent, diagnoses are answered by the rules alone (with the reason
       * shown) and free-form intents the deterministic parser cannot read are
       * refused. A call may overshoot by its own size. Spend is recorded
       * even when unlimited; rows older than 90 days are deleted daily.
       * Default 0: unlimited.
       */
      llmTokensPerUserPerDay?: number;
      /**
       * Per-caller rate limits of the LLM-backed routes. A request over the
       * limit is answered 429 with `Retry-After` (seconds); every counted
       * response carries `RateLimit-Limit` and `RateLimit-Remaining`.
       */
      rateLimit?: {
        /** False turns all three limits off. Default true. */
        enabled?: boolean;
        /** `POST /diagnoses`. Default 30 requests per 60 s. */
        diagnoses?: {
          /** Requests per window, a whole number ≥ 1. */
          limit?: number;
          /** Window length in seconds, 1–86400 (sliding). */
          windowSeconds?: number;
        };
        /** `POST /plans`. Default 30 requests per 60 s. */
        plans?: {
          /** Requests per window, a whole number ≥ 1. */
          limit?: number;
          /** Window length in seconds, 1–86400 (sliding). */
          windowSeconds?: number;
        };
        /** `POST /query`. Default 60 requests per 60 s. */
        query?: {
          /** Requests per window, a whole number ≥ 1. */
          limit?: number;
          /** Window length in seconds, 1–86400 (sliding). */
          windowSeconds?: number;
        };
      };
    };
  };
}
