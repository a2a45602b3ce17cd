import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import type { Finding } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import type { AnalysisContext } from '../analyzers/types';
import type { KubernetesBackendClient } from '../kubernetes/types';
import type { ModuleExtensions } from './ModuleExtensions';
import type { KubecopilotProvidedContext } from './types';
import { runModules } from './runModules';

const DEFAULT_ANALYZER_TIMEOUT_MS = 1000;
const DEFAULT_CONTEXT_TIMEOUT_MS = 2000;

/** What the diagnosis service asks of the modules, per cluster. */
export interface DiagnosisModuleRunner {
  run(input: {
    entityRef: string;
    context: AnalysisContext;
    credentials: BackstageCredentials;
  }): Promise<{
    findings: Finding[];
    errors: string[];
    /** What context providers added: for module analyzers and the model. */
    provided?: KubecopilotProvidedContext[];
  }>;
}

/**
 * The modules' context providers and analyzers, run after the built-in
 * analyzers for each cluster. Providers read metadata only, as the user who
 * asked, with the deadline `kubecopilot.extensions.contextTimeoutMs`.
 */
export class DiagnosisModules implements DiagnosisModuleRunner {
  private constructor(
    private readonly extensions: ModuleExtensions,
    private readonly kubernetes: KubernetesBackendClient,
    private readonly analyzerTimeoutMs: number,
    private readonly contextTimeoutMs: number,
  ) {}

  /** Undefined when no module registered an analyzer or a provider. */
  static fromConfig(
    config: Config,
    deps: { extensions: ModuleExtensions; kubernetes: KubernetesBackendClient },
  ): DiagnosisModules | undefined {
    const { extensions } = deps;
    if (
      extensions.analyzers.length === 0 &&
      extensions.contextProviders.length === 0
    ) {
      return undefined;
    }
    return new DiagnosisModules(
      extensions,
      deps.kubernetes,
      config.getOptionalNumber('kubecopilot.extensions.analyzerTimeoutMs') ??
        DEFAULT_ANALYZER_TIMEOUT_MS,
      config.getOptionalNumber('kubecopilot.extensions.contextTimeoutMs') ??
        DEFAULT_CONTEXT_TIMEOUT_MS,
    );
  }

  async run(input: {
    entityRef: string;
    context: AnalysisContext;
    credentials: BackstageCredentials;
  }) {
    const { cluster } = input.context;
    const signal = AbortSignal.timeout(this.contextTimeoutMs);
    const { findings, errors, provided } = await runModules(
      {
        entityRef: input.entityRef,
        context: input.context,
        kubernetes: {
          readMetadata: path =>
            this.kubernetes.readMetadata({
              cluster,
              path,
              credentials: input.credentials,
              signal,
            }),
        },
      },
      {
        analyzers: this.extensions.analyzers,
        providers: this.extensions.contextProviders,
        analyzerTimeoutMs: this.analyzerTimeoutMs,
        contextTimeoutMs: this.contextTimeoutMs,
      },
    );
    return { findings, errors, provided };
  }
}
