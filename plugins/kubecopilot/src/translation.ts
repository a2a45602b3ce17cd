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
  // Loaded when the user picks the language; every app gets them with the
  // ref (an app's own translation resources still take precedence).
  translations: {
    'zh-CN': () => import('./translations/zh'),
  },
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
        notes: 'Notes',
        notesHint:
          'Nothing to fix: what changed or recovered recently, for context.',
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
    review: {
      title: 'Review plan',
      titleFor: 'Review plan: {{action}} {{target}}',
      close: 'Close',
      loadError: 'Could not load the plan',
      auditError: 'Could not load the audit trail',
      requestedBy: 'requested by {{user}}',
      requestedByAs: 'requested by {{user}} as “{{intent}}”',
      what: {
        executed: 'What was done',
        failed: 'What was attempted',
        proposed: 'What was proposed',
        executing: 'What is being done',
        pending: 'What will be done',
      },
      onCluster: 'on cluster',
      why: 'Why',
      writtenByModel: 'Written by a model — check it against the diff.',
      writtenByModelNamed:
        'Written by a model ({{model}}) — check it against the diff.',
      writtenByModelPrompt:
        'Written by a model ({{model}}), prompt {{prompt}} — check it against the diff.',
      fromRules: 'From KubeCopilot’s rules; no model was involved.',
      risk: 'Risk',
      riskRules: 'Risk rules',
      noRiskRule: 'No risk rule applies to this change.',
      decisions: 'Decisions',
      decision: {
        approved: 'approved',
        rejected: 'rejected',
      },
      rolledBack: 'Rolled back: {{reason}}',
      rolloutFailed: 'the rollout failed',
      rolledBackHint: 'The rollback steps ran; see them under Rollback below.',
      failedTitle: 'The plan failed',
      execution: 'Execution',
      revert: 'Revert',
      endState: 'The end state once promoted',
      exactChange: 'The exact change',
      params: {
        canaryErrorRate: 'error rate > {{percent}}%',
        canaryP99: 'p99 > {{ms}} ms',
        canaryAt: ' at {{steps}}',
        canaryRollbackIf: ', rolling back if {{conditions}}',
        or: ' or ',
        canaryNoGate: ', with no metric gate',
        canaryConfirm: ', with a confirmation before promotion',
        rollbackTo: ' to revision {{revision}}',
        rollbackBefore: ' to the pod template it had before',
        with: ' with {{params}}',
      },
      state: {
        executing:
          'The plan is being executed right now; wait until it finishes.',
        paused:
          'The rollout is paused, waiting for someone to confirm its promotion.',
        settled: {
          executed: 'This plan has already been executed',
          reverted: 'This plan has already been executed and reverted',
          failed: 'This plan failed',
          rejected: 'This plan was rejected',
          expired: 'This plan expired before anyone executed it',
        },
        thisPlan: 'This plan',
        alreadyApproved: 'This plan is already approved.',
        nothingToDecide: '{{settled}}: there is nothing left to decide.',
        needsApproval:
          'Someone must approve this plan before it can be executed.',
        cannotRunNow: 'This plan cannot run now',
        runsOnce:
          '{{settled}}. A plan runs once; draft a new one to change the cluster again.',
        deleteIrreversible:
          'A delete cannot be undone: the object is gone, and its controller re-creates any pods it owned.',
        notExecutedYet:
          'Nothing to revert yet: this plan has not been executed.',
        neverExecuted: 'Nothing to revert: this plan was never executed.',
        alreadyReverted: 'This plan has already been reverted.',
        failedNothingToRevert:
          'This plan failed, so there is no change of its to revert.',
        cannotRevertNow: 'This plan cannot be reverted now.',
        checkingPermissions: 'Checking your permissions…',
        mayNot: 'You may not {{what}} this plan',
      },
      revertConfirm: {
        title: 'Revert this plan?',
        restart:
          'It puts the restart annotation of {{target}} back as it was, which rolls its pods once more.',
        scale:
          'It scales {{target}} back to the replica count it had before this plan.',
        rollback:
          'It puts the pod template {{target}} had before the rollback back in place, which rolls its pods again.',
        other:
          'It puts {{target}} back to what the diff shows as "Was in the cluster".',
        target: '{{target}} on cluster {{cluster}}',
        checks:
          'KubeCopilot first checks that nobody changed those values since, and dry-runs the change; the revert is recorded in the audit trail. If its risk needs a second person, it waits for their approval as a plan of its own.',
        cancel: 'Cancel',
        revert: 'Revert',
      },
      revertNotice: {
        revertOfTitle: 'This plan reverts another plan',
        revertOfBefore: 'It restores the values that',
        planLink: 'plan {{id}}',
        revertOfAfter:
          'replaced. Once it is executed, that plan is marked reverted.',
        waitsTitle: 'The revert waits for a second person',
        waitsBefore:
          'Undoing this plan is a change of its own, and its risk needs a second person to approve it. It waits as',
        waitsAfter: '.',
      },
    },
    reviewBar: {
      approve: 'Approve',
      reject: 'Reject',
      execute: 'Execute',
      revert: 'Revert',
      busy: '{{label}}…',
      verb: {
        approve: 'approve',
        reject: 'reject',
        execute: 'execute',
        revert: 'revert',
        confirm: 'confirm the promotion of',
        decline: 'decline the promotion of',
      },
      whyReject: 'Why reject? (required)',
      whyDecline: 'Why decline the promotion? (required)',
      cancel: 'Cancel',
      confirmReject: 'Confirm reject',
      confirmDecline: 'Confirm decline',
      comment: 'Comment (optional)',
      confirmPromotion: 'Confirm promotion',
      decline: 'Decline',
      notWaiting:
        'A plan that is {{status}} does not wait for anyone to confirm promotion',
      mayNotSteps: 'You may not confirm or decline steps of this plan',
      checkingWho: 'Checking who you are…',
      secondPersonConfirm:
        '{{level}}-risk plans need a second person: you requested this one, so someone else must confirm its promotion',
    },
    reviewNotices: {
      secondPaused:
        '{{level}}-risk plans need a second person: you requested this one, so someone else must confirm its promotion.',
      secondPausedOther:
        '{{level}}-risk plans need a second person: {{user}} requested this one, so someone else must confirm its promotion — you, if you may approve it.',
      secondPending:
        '{{level}}-risk plans need a second person: you requested this one, so someone else must approve it.',
      secondPendingOther:
        "{{level}}-risk plans need a second person: {{user}} requested this one, so it waits for someone else's approval — yours, if you may approve it.",
      clusterChanged: 'The cluster changed since the plan was made',
      planChanged: 'The plan changed meanwhile',
      mayNot: 'You may not {{verb}} this plan',
      couldNot: 'Could not {{verb}} the plan',
      inProgress: 'in progress',
      outcome: {
        applied: 'applied',
        failed: 'failed',
        'rolled-back': 'rolled back',
        skipped: 'skipped',
      },
      resultTitle: '{{title}}: {{outcome}}',
      dryRun: ' · dry run {{result}}',
      drift: 'Changed in the cluster since the plan was made:',
      byStarted: 'by {{user}}, started',
      finished: ', finished',
      rolloutStarted: 'Rollout started — steps run in the background',
      executing:
        'Executing in the cluster; this view refreshes until the change settles.',
      rollingOut:
        'Rolling out in the cluster; this view follows the steps as they run.',
      awaitingPromotion: 'Waiting for someone to confirm promotion',
      pausedAtApproval: 'The rollout is paused at an approval step.',
    },
    audit: {
      title: 'Audit trail',
      count_one: '{{count}} entry for this plan',
      count_other: '{{count}} entries for this plan',
      latestCount_one: 'latest {{count}} entry for this plan',
      latestCount_other: 'latest {{count}} entries for this plan',
      verified_one: 'Chain verified ({{count}} entry)',
      verified_other: 'Chain verified ({{count}} entries)',
      broken: 'Chain broken',
      brokenAt: 'Chain broken at #{{id}}',
      nothing: 'Nothing recorded for this plan yet.',
      loadingOlder: 'Loading older entries…',
      showOlder: 'Show older entries',
    },
    diff: {
      wasInCluster: 'Was in the cluster',
      didNotExist: 'Did not exist',
      now: 'Now',
      deleted: 'Deleted',
      beforeRestored: 'Before the plan (restored by the revert)',
      planHadSet: 'What the plan had set',
      whenMade: 'In the cluster when the plan was made',
      wouldHaveSet: 'What the plan would have set',
      wouldHaveDeleted: 'Would have been deleted',
      nowInCluster: 'Now in the cluster',
      notYet: 'Does not exist yet',
      afterPlan: 'After the plan',
      fold_one: 'Show {{count}} unchanged line (line {{where}})',
      fold_other: 'Show {{count}} unchanged lines (lines {{where}})',
      noDiff: 'This plan carries no manifest diff.',
    },
    metrics: {
      tab: 'Metrics & SLOs',
      title: 'Metrics',
      subheader:
        'From Prometheus: resource use against requests and limits, restarts, replicas and traffic',
      range: 'Range',
      loadError: 'Could not load the metrics',
      empty: 'Nothing to chart',
      emptyDescription:
        'This entity has no Deployment, StatefulSet or DaemonSet on a cluster KubeCopilot can read.',
      noData: 'No data in this range',
      notConfigured: 'Prometheus is not configured for this cluster',
      unreachable: 'Prometheus did not answer',
      noSeries: 'Prometheus has no series for this workload',
      markers: 'Plans in this range: {{list}}',
      panels: {
        cpu: 'CPU',
        throttling: 'CPU throttling',
        memory: 'Memory (working set)',
        restarts: 'Restarts',
        replicas: 'Available replicas',
        requestRate: 'Requests per second',
        errorRatio: 'Error ratio',
        p99Latency: 'p99 latency',
      },
    },
    slo: {
      title: 'SLOs and error budgets',
      subheader: 'OpenSLO objectives, measured in Prometheus',
      loadError: 'Could not load the SLOs',
      notDeclared: 'No SLO declared',
      notDeclaredDescription:
        'Point the kubecopilot.io/openslo annotation at an OpenSLO v1 file (kind: SLO) beside catalog-info.yaml.',
      problems: 'The OpenSLO file could not be used entirely',
      source: 'Read from {{source}}',
      objective: 'Objective',
      sli: 'SLI over {{window}}',
      budget: 'Error budget remaining',
      exhausted: 'Exhausted',
      burnRates: 'Burn rate (× sustainable)',
      fastBurn: 'Fast burn: {{long}} and {{short}} over {{threshold}}×',
      slowBurn: 'Slow burn: {{long}} and {{short}} over {{threshold}}×',
      noData: 'No traffic measured',
      notConfigured: 'Prometheus not configured',
      unreachable: 'Prometheus unreachable',
      error: 'Query rejected',
    },
    relations: {
      column: 'Config',
      none: '—',
      secret: 'Secret',
      configMap: 'ConfigMap',
      missing: 'missing',
      missingKeys: 'missing key {{keys}}',
      unknown: 'not checked',
      optionalAbsent: 'optional, absent',
      usedBy: 'Used by {{containers}} via {{via}}',
      keysNamed: 'Keys named: {{keys}}',
      keysHeld: 'Keys it holds: {{keys}}',
      valuesHidden: 'Secret values are never shown.',
      ingressesTitle: 'Ingresses',
      ingressesSubheader: 'Which Services each Ingress routes to',
      ingress: 'Ingress',
      route: 'Host and path',
      backend: 'Service',
      tls: 'TLS Secret',
      ingressClass: 'IngressClass',
      defaultClass: 'cluster default',
      serviceMissing: 'no such Service',
      portMissing: 'the Service has no port {{port}}',
      secretMissing: 'Secret not found',
      classMissing: 'IngressClass not found',
      noTls: 'no TLS',
    },
    agents: {
      title: 'Drafted by an AI agent',
      draftedFor:
        'An AI agent drafted this plan for {{user}} through {{channel}}.',
      channelMcp: 'MCP (Backstage’s MCP server)',
      channelActions: 'Backstage’s actions registry',
      decideNote: 'The agent cannot approve or execute: only people can.',
      client: 'Client, as the agent named itself: {{client}}',
      rationaleTitle: 'The agent’s reasons — untrusted text',
      rationaleNote:
        'Written by the agent; KubeCopilot did not check it. Decide from the change and its risk, not from this text.',
    },
    steps: {
      status: {
        pending: 'Pending',
        running: 'Running',
        waiting: 'Waiting for confirmation',
        succeeded: 'Succeeded',
        failed: 'Failed',
        skipped: 'Skipped',
      },
      started: 'started {{time}}',
      finished: 'finished {{time}}',
      took: 'took {{duration}}',
      for: 'for {{duration}}',
      by: 'by {{user}}',
      passesWhen: 'Passes when',
      hideQuery: 'Hide query',
      showQuery: 'Show query',
      measurements: 'Measurements: {{metric}}',
      at: 'At',
      result: 'Result',
      samplesOf_one: '{{done}} of {{count}} sample',
      samplesOf_other: '{{done}} of {{count}} samples',
      hideChange: 'Hide the change',
      showChange: 'Show the change',
      title: 'Steps',
      rolloutSteps: 'Rollout steps',
      rollbackSteps: 'Rollback steps',
      rollback_one: 'Rollback ({{count}} step)',
      rollback_other: 'Rollback ({{count}} steps)',
      rolledBack: 'The plan rolled back.',
      rollbackWhen:
        'Runs only when a gate fails, the promotion is declined or the plan is reverted.',
      progressRollingBack: 'Rolling back: step {{current}} of {{total}}',
      progressRollout: 'Rollout: step {{current}} of {{total}}',
      noData: 'no data',
      oneSample: '1 sample',
      samplesApart: '{{count}} samples {{interval}} apart',
      after: '{{samples}}, after {{delay}}',
      verdict: {
        pass: 'pass',
        fail: 'fail',
        inconclusive: 'inconclusive',
      },
      rollout: {
        readError: 'Could not read the workload from the cluster: {{error}}',
        gone: 'The target is not among the entity’s workloads any more.',
        now: 'Now in the cluster: {{ready}}/{{desired}} ready',
        pods: ' · pods: {{phases}}',
      },
    },
    findingsPage: {
      title: 'Findings',
      subtitle: 'What the findings scan found wrong, across the portal',
      tableTitle: 'Open findings ({{n}})',
      emptyTitle: 'No open findings',
      emptyDescription:
        'The findings scan has found nothing wrong in the workloads it diagnoses (or has not run yet: kubecopilot.findings.scan).',
      reload: 'Reload findings',
      owner: 'Owner',
      anyOwner: 'Any owner',
      cluster: 'Cluster',
      anyCluster: 'Any cluster',
      severity: 'Severity',
      anySeverity: 'Any severity',
      age: 'Age',
      anyAge: 'Any age',
      age1h: 'Open over 1 hour',
      age1d: 'Open over 1 day',
      age7d: 'Open over 7 days',
      colFinding: 'Finding',
      colEntity: 'Entity',
      colOpenFor: 'Open for',
      colLastSeen: 'Last seen',
      ago: '{{age}} ago',
      status: 'Status',
      statusOpen: 'Open',
      statusResolved: 'Resolved',
      resolvedTitle: 'Resolved findings ({{n}})',
      colResolved: 'Resolved',
      postmortem: 'Postmortem',
    },
    postmortems: {
      draftTitle: 'Draft a postmortem',
      draftSubheader: 'From KubeCopilot’s records of this window; no LLM',
      from: 'From',
      to: 'To',
      draft: 'Draft postmortem',
      drafting: 'Drafting…',
      listTitle: 'Postmortems',
      none: 'None yet.',
      viewTitle: 'Postmortem',
      pick: 'Draft one for a window, or pick one from the list.',
      version: 'Version {{version}}, saved by {{by}} at {{at}}',
      auditOk: 'Audit chain verified ({{entries}} entries)',
      auditBroken: 'Audit chain does not verify',
      timeline: '{{entries}} timeline entries',
      cancel: 'Cancel',
      save: 'Save as new version',
      saving: 'Saving…',
      download: 'Download Markdown',
      edit: 'Edit',
      editor: 'Postmortem (Markdown)',
      partial: 'Partial: {{errors}}',
    },
    workloadsTable: {
      health: {
        healthy: 'Healthy',
        warning: 'Ready, but pods reported problems recently',
        degraded: 'Degraded',
        failing: 'Failing',
        idle: 'Scaled to zero',
      },
      ready: '{{ready}}/{{desired}} ready',
      noPods: 'no pods',
      columns: {
        cluster: 'Cluster',
        workload: 'Workload',
        kind: 'Kind',
        namespace: 'Namespace',
        ready: 'Ready',
        pods: 'Pods',
        restarts: 'Restarts',
        reasons: 'Reasons',
        images: 'Images',
      },
      clusterLabel: 'cluster {{cluster}}',
      title: 'Workloads',
      fromCluster: 'From cluster: {{clusters}}',
      fromClusters: 'From clusters: {{clusters}}',
      tryAgain: 'Try again',
      noneFound: 'No workloads found',
      noClusters:
        'No Kubernetes clusters are configured. Add one under kubernetes.clusterLocatorMethods in app-config.yaml.',
      nothingIn:
        "Nothing in {{where}} belongs to {{entityRef}}. Workloads are matched by the entity's backstage.io/kubernetes-id or backstage.io/kubernetes-label-selector annotation.",
      answeredClusters: 'the clusters that answered {{clusters}}',
      clusters: 'clusters {{clusters}}',
      anyCluster: 'any cluster that answered',
    },
    linksOut: {
      kubernetesTab: 'Open in the Kubernetes tab',
      podLogs: 'Pod and its logs in the Kubernetes tab',
    },
    common: {
      loading: 'Loading…',
      retry: 'Retry',
      cancel: 'Cancel',
      close: 'Close',
      refresh: 'Refresh',
    },
    yaml: {
      severity: {
        error: 'Fix now',
        warning: 'Should fix',
        info: 'Consider',
      },
      noChecks:
        'No findings: resources, probes, image, security context and availability all look like what a careful reviewer would ask for.',
      checksLabel: 'Checks',
      line: 'line {{line}}',
      applyFix: 'Apply suggested fix ({{value}})',
      edit: 'Edit',
      createPlan: 'Create plan',
      checkAgain: 'Check again',
      subheader: 'namespace {{namespace}} · cluster {{cluster}}',
      editorLabel: 'Manifest of {{kind}} {{name}}',
      notPlannable:
        'Plans change Deployments, StatefulSets and DaemonSets; change this {{kind}} in your repository.',
      checkingPermission: 'Checking whether you may create plans…',
      notAllowed:
        'You are not allowed to create plans (permission kubecopilot.plan.create).',
      editHint:
        'A plan changes only replicas, images, resources and literal env values; it waits for review and approval.',
      readOnlyHint:
        'Read-only: status, managed fields and server-set metadata are hidden; credential-like values are masked.',
      planFailed: 'The plan was not created: {{error}}',
      checksTitle: 'Checks',
      checksFailed: 'The checks could not run: {{error}}',
      explanationTitle: 'What this manifest does',
      clusterError: 'Cluster {{cluster}} could not be read: {{message}}',
      emptyTitle: 'No workloads to show',
      emptyDescription:
        'This entity has no Deployments, StatefulSets, DaemonSets, CronJobs or Jobs that the Kubernetes plugin maps to it (backstage.io/kubernetes-id or label selector).',
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

/**
 * The message of a key known only at run time (an action or outcome the
 * backend may add later), or `fallback` when there is none.
 */
export function tOr(t: KubecopilotT, key: string, fallback: string): string {
  return (t as unknown as (k: string, o: { defaultValue: string }) => string)(
    key,
    { defaultValue: fallback },
  );
}
