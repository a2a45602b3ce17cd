import type {
  KubecopilotAnalyzer,
  KubecopilotAnalyzersExtensionPoint,
  KubecopilotContextProvider,
  KubecopilotContextProvidersExtensionPoint,
  KubecopilotRiskRule,
  KubecopilotRiskRulesExtensionPoint,
} from './types';

/**
 * `<namespace>/<name>`: a lowercase namespace of the module's choosing
 * (never `kubecopilot`, which is the built-ins'), then a name. Built-in
 * analyzer names, rule names and finding codes have no slash, so a module's
 * can never be mistaken for one of them.
 */
const NAMESPACED = /^([a-z][a-z0-9-]{0,39})\/([A-Za-z][A-Za-z0-9-]{0,79})$/;
const RESERVED = new Set(['kubecopilot', 'builtin', 'core']);

/** The namespace of a valid namespaced name; throws otherwise. */
export function namespaceOf(name: string, what: string): string {
  const match = NAMESPACED.exec(name);
  if (!match) {
    throw new Error(
      `KubeCopilot ${what} '${name}' must be namespaced as '<namespace>/<name>' (e.g. 'acme/certificates'), lowercase namespace`,
    );
  }
  if (RESERVED.has(match[1])) {
    throw new Error(
      `KubeCopilot ${what} '${name}' uses the reserved namespace '${match[1]}'`,
    );
  }
  return match[1];
}

/** True for a finding code a module analyzer in `namespace` may report. */
export function isModuleCode(code: string, namespace: string): boolean {
  const match = NAMESPACED.exec(code);
  return !!match && match[1] === namespace;
}

/**
 * What backend modules registered through KubeCopilot's extension points,
 * validated as they register: a name that is not namespaced, or registered
 * twice, fails the backend's startup rather than a diagnosis later. Closed
 * once the plugin initialises: nothing is added while requests run.
 *
 * None of the extension points can add a write action: analyzers and
 * context providers see a read-only, redacted context; risk rules only judge.
 */
export class ModuleExtensions {
  private readonly analyzerList: KubecopilotAnalyzer[] = [];
  private readonly ruleList: KubecopilotRiskRule[] = [];
  private readonly providerList: KubecopilotContextProvider[] = [];
  private readonly names = new Set<string>();
  private closed = false;

  readonly analyzerPoint: KubecopilotAnalyzersExtensionPoint = {
    addAnalyzer: (...analyzers) =>
      analyzers.forEach(a => this.add(this.analyzerList, a, 'analyzer')),
  };

  readonly riskRulePoint: KubecopilotRiskRulesExtensionPoint = {
    addRiskRule: (...rules) =>
      rules.forEach(r => this.add(this.ruleList, r, 'risk rule')),
  };

  readonly contextProviderPoint: KubecopilotContextProvidersExtensionPoint = {
    addContextProvider: (...providers) =>
      providers.forEach(p =>
        this.add(this.providerList, p, 'context provider'),
      ),
  };

  get analyzers(): readonly KubecopilotAnalyzer[] {
    return this.analyzerList;
  }

  get riskRules(): readonly KubecopilotRiskRule[] {
    return this.ruleList;
  }

  get contextProviders(): readonly KubecopilotContextProvider[] {
    return this.providerList;
  }

  /** Called when the plugin initialises: later registrations throw. */
  close(): void {
    this.closed = true;
  }

  private add<T extends { name: string }>(list: T[], item: T, what: string) {
    if (this.closed) {
      throw new Error(
        `KubeCopilot ${what} '${item?.name}' was registered after the plugin started; register it in a backend module's init`,
      );
    }
    namespaceOf(item?.name, what);
    const key = `${what}|${item.name}`;
    if (this.names.has(key)) {
      throw new Error(`KubeCopilot ${what} '${item.name}' is registered twice`);
    }
    this.names.add(key);
    list.push(item);
  }
}
