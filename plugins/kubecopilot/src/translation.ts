import {
  TranslationFunction,
  createTranslationRef,
} from '@backstage/frontend-plugin-api';

/**
 * Every user-facing string of the KubeCopilot frontend, in English, nested by
 * area (one top-level key per screen or feature). The zh-CN translation is in
 * `translations/zh.ts`; a new key needs its Chinese text there too.
 *
 * Interpolation is `{{name}}`; counts use i18next plural keys (`_one` /
 * `_other`) with a `count` option.
 *
 * @public
 */
export const kubecopilotTranslationRef = createTranslationRef({
  id: 'kubecopilot',
  messages: {
    pages: {
      home: 'KubeCopilot',
      inbox: 'Approval inbox',
      diagnoseTab: 'AI Diagnose',
      plansTab: 'Operation Plans',
    },
    diagnose: {
      card: {
        title: 'AI Diagnose',
        subheader: 'What is wrong with this service’s workloads, and why',
        notAllowed:
          'You are not allowed to run diagnoses (permission kubecopilot.diagnose). Ask an administrator for access.',
        noPermissionApi:
          'Diagnosing is disabled: this app has no permission API to check kubecopilot.diagnose with.',
        buttonReason: 'Analyse the workloads, their events and logs now',
        checkingPermission: 'Checking whether you may run a diagnosis…',
        running: 'A diagnosis is running',
        diagnosing: 'Diagnosing…',
        diagnose: 'Diagnose',
        historyError: 'Could not load recent diagnoses',
        reload: 'Reload diagnoses',
        emptyTitle: 'No diagnosis yet',
        emptyDescription:
          'Press Diagnose to analyse the workloads of {{entityRef}}: their state, events and recent logs. Findings, their evidence and proposed fixes appear here.',
        emptyDenied: 'Nobody has diagnosed {{entityRef}} yet. {{reason}}',
        progressLabel: 'Diagnosing',
        progress:
          'Diagnosing: reading workloads, events and logs, then analysing them. This can take several seconds.',
        failed: 'Diagnosis failed',
      },
      result: {
        sourceRules: 'Rules',
        sourceAi: 'AI',
        sourceAiWith: 'AI ({{details}})',
        tokens: '{{prompt}} prompt + {{completion}} completion tokens',
        tokensWithContext:
          '{{tokens}}; context sent {{sent}} of {{raw}} characters ({{percent}}%)',
        answeredBy: 'answered by {{source}}',
        target: '{{action}} {{kind}} {{name}}',
        targetIn: '{{action}} {{kind}} {{name}} in {{cluster}}',
        healthyTitle: 'All workloads healthy',
        healthy:
          'The analyzers found nothing wrong with these workloads; there is nothing to fix.',
        rootCause: 'Root cause:',
        fallback:
          'The LLM was not used: {{reason}}. This answer comes from the rule-based analyzers.',
        partialTitle_one:
          'Partial diagnosis: {{count}} part could not be gathered',
        partialTitle_other:
          'Partial diagnosis: {{count}} parts could not be gathered',
        partialMessage:
          'The findings below are based only on what could be read.',
        findings: 'Findings',
        noFindings:
          'No findings in what could be read; see what is missing above.',
        recommendations: 'Recommendations',
        recommendationsHint:
          'Create plan drafts a plan for review; nothing changes in the cluster until it is approved and executed.',
        recommendationsLabel: 'recommendations',
        usage: 'Token usage: {{usage}}',
      },
      history: {
        title: 'Recent diagnoses',
        label: 'recent diagnoses',
        partial: 'partial',
      },
    },
    time: {
      justNow: 'just now',
    },
    findings: {
      severity: {
        critical: 'critical',
        error: 'error',
        warning: 'warning',
        info: 'info',
      },
      container: 'container {{name}}',
      logExcerpt: 'Log excerpt',
      logExcerptFrom: 'Log excerpt from',
      logExcerptLabel: 'log excerpt',
      event: 'Event',
      unknownReason: 'unknown',
      field: 'field',
      evidence: 'Evidence ({{count}})',
      symptomLabel: 'symptom {{code}}',
      findingLabel: 'finding {{code}}',
      alsoIn_one: 'the same in {{count}} other pod',
      alsoIn_other: 'the same in {{count}} other pods',
      whatHelps: 'What helps:',
      proposedFix: 'Proposed fix:',
      causes: 'What it causes ({{count}}): {{codes}}',
      severityCount: '{{count}} {{severity}}',
      nothingWrong: 'The analyzers found nothing wrong.',
      findingCount_one: '{{count}} finding',
      findingCount_other: '{{count}} findings',
    },
    planButton: {
      create: 'Create plan',
      creating: 'Creating plan',
      failed: 'Could not create the plan: {{error}}',
    },
    workloads: {
      clusterNotRead: 'Cluster {{names}} could not be read',
      clustersNotRead: '{{count}} clusters could not be read: {{names}}',
      incomplete:
        'The workloads below are incomplete: they come only from the clusters that answered.',
      loadError: 'Could not load the workloads',
      status: {
        none: 'No workloads found',
        oneReady: 'Its workload is ready',
        allReady: 'All {{count}} workloads are ready',
        oneNotReady: 'Its workload is not ready',
        someNotReady_one: '{{count}} of {{total}} workloads is not ready',
        someNotReady_other: '{{count}} of {{total}} workloads are not ready',
        withReasons: '{{which}}: {{reasons}}',
      },
    },
    summaryCard: {
      title: 'KubeCopilot',
      subheader: 'Kubernetes status at a glance',
      findOut: 'Find out why with AI Diagnose',
      open: 'Open AI Diagnose',
      noWorkloads: 'No workloads found for this entity.',
      noWorkloadsIn: 'No workloads found for this entity in {{clusters}}.',
      notRead: 'Not read: {{clusters}}',
      workloadsLabel: 'Workloads',
    },
    home: {
      title: 'KubeCopilot',
      subtitle: 'What needs attention in your Kubernetes services',
      couldNotRead: 'Could not read its workloads',
      notChecked: 'Not checked here',
      withUnread: '{{text}}; not read: {{clusters}}',
      servicesError: 'Could not load the services',
      servicesTitle: 'Services on Kubernetes',
      noCatalog:
        'This app has no software catalog, so there are no services to list. The approval inbox still works.',
      noServices:
        'No catalog component runs on Kubernetes yet. Components with a backstage.io/kubernetes-id or backstage.io/kubernetes-label-selector annotation show up here with the state of their workloads.',
      columnService: 'Service',
      columnNow: 'Now',
      diagnose: 'Diagnose',
      aiDiagnose: 'AI Diagnose',
      oneServiceFine: 'The one service on Kubernetes is running as it should.',
      allServicesFine:
        'All {{count}} services on Kubernetes are running as they should.',
      troubled_one:
        '{{count}} of {{total}} services on Kubernetes has open problems.',
      troubled_other:
        '{{count}} of {{total}} services on Kubernetes have open problems.',
      troubledOfOne: '{{count}} of 1 service on Kubernetes has open problems.',
      problemsFirst: 'Open problems first',
      plansError: 'Could not load "{{title}}"',
      waiting: 'Waiting for your decision',
      waitingEmpty:
        'No plan waits for a decision. Plans drafted from a diagnosis or the prompt bar appear here until someone approves or rejects them.',
      allWaiting: 'All waiting plans in the approval inbox',
      recent: 'Recent plans',
      recentEmpty:
        "No operation plans yet. Open a service's AI Diagnose tab to diagnose it and draft a fix.",
    },
    plans: {
      status: {
        pending: 'Pending approval',
        confirmed: 'Approved',
        executing: 'Executing',
        paused: 'Awaiting promotion',
        executed: 'Executed',
        failed: 'Failed',
        reverted: 'Reverted',
        rejected: 'Rejected',
        expired: 'Expired',
      },
      risk: {
        low: 'low',
        medium: 'medium',
        high: 'high',
      },
      riskChip: '{{level}} risk',
      action: {
        create: 'create',
        update: 'update',
        delete: 'delete',
        scale: 'scale',
        restart: 'restart',
        canary: 'canary',
        rollback: 'rollback',
        'blue-green': 'blue-green',
      },
      columns: {
        status: 'Status',
        entity: 'Entity',
        action: 'Action',
        target: 'Target',
        risk: 'Risk',
        requester: 'Requester',
        age: 'Age',
      },
      onCluster: 'cluster {{cluster}}',
      loadError: 'Could not load the plans',
      tryAgain: 'Try again',
      loadMoreError: 'Could not load more plans',
      loadOlder: 'Load older plans',
      filters: {
        status: 'Status',
        anyStatus: 'Any status',
        risk: 'Risk',
        anyRisk: 'Any risk',
      },
    },
    inbox: {
      title: 'Approval inbox',
      subtitle: 'Operation plans waiting for a decision',
      component: 'Component',
      noLiveUpdates:
        'Live updates are unavailable here; use the refresh button to see new plans.',
      batchErrors: 'Some plans were not rejected: {{errors}}',
      entity: 'Entity',
      anyEntity: 'Any entity',
      owner: 'Owner',
      anyOwner: 'Any owner',
      riskCount: '{{count}} {{level}}',
      rejectReason: 'Why reject them? (required)',
      rejecting: 'Rejecting…',
      reject_one: 'Reject {{count}} plan',
      reject_other: 'Reject {{count}} plans',
      waitingTitle: 'Waiting for approval',
      noMatch: 'No waiting plans match the filters',
      empty: 'No plans wait for you',
      emptyDescription:
        'Plans that need an approval show up here, newest first, as soon as someone creates one.',
      awaitingPromotion: 'Waiting for promotion',
    },
    prompt: {
      columns: {
        cluster: 'Cluster',
        kind: 'Kind',
        namespace: 'Namespace',
        name: 'Name',
        status: 'Status',
        ready: 'Ready',
        restarts: 'Restarts',
        since: 'Since',
      },
      label: 'Ask KubeCopilot',
      placeholder:
        'e.g. "which pods restarted today?" or "restart checkout" — press / to focus, ↑ for history',
      pickFirst: 'Pick a component first',
      asking: 'Asking…',
      ask: 'Ask',
      drafting: 'Drafting…',
      draft: 'Draft plan',
      understoodIntent:
        'Understood: {{understood}}. Nothing changes until the plan is reviewed, approved and executed.',
      understood: 'Understood: {{understood}}',
      clusterError: 'cluster {{cluster}}: {{message}}',
      results_one: '{{count}} result',
      results_other: '{{count}} results',
      nothingMatches: 'Nothing matches.',
    },
    entityPlans: {
      title: 'Operation plans',
      noMatch: 'No plans match the filters',
      empty: 'No operation plans yet',
      emptyDescription:
        'Plans appear here once one is created for this entity, from a diagnosis recommendation, a request in words, or a template. Each plan shows the exact change, its risk, and who has to approve it before anything touches the cluster.',
    },
    agents: {
      title: 'Drafted by an AI agent',
      draftedFor: 'An AI agent drafted this plan for {{user}} through {{channel}}.',
      channelMcp: 'MCP (Backstage’s MCP server)',
      channelActions: 'Backstage’s actions registry',
      decideNote: 'The agent cannot approve or execute: only people can.',
      client: 'Client, as the agent named itself: {{client}}',
      rationaleTitle: 'The agent’s reasons — untrusted text',
      rationaleNote:
        'Written by the agent; KubeCopilot did not check it. Decide from the change and its risk, not from this text.',
    },
    common: {
      loading: 'Loading…',
      retry: 'Retry',
      cancel: 'Cancel',
      close: 'Close',
      refresh: 'Refresh',
    },
  },
});

/**
 * The `t` of {@link kubecopilotTranslationRef}, for helpers that format
 * text outside a component.
 *
 * @public
 */
export type KubecopilotT = TranslationFunction<
  typeof kubecopilotTranslationRef.T
>;
