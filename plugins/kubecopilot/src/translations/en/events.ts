/**
 * English messages of the events timeline on the AI Diagnose tab
 * (`EntityEventsTimeline`, part of `kubecopilotTranslationRef`).
 */
export const eventsMessages = {
  events: {
    title: 'Events',
    subheader: 'What Kubernetes reported about these workloads, newest first',
    warningsOnly: 'Warnings only',
    refresh: 'Refresh events',
    loadError: 'Could not load the events',
    tryAgain: 'Try again',
    empty:
      'No events for these workloads. Kubernetes keeps events for about an hour.',
    emptyWarnings:
      'No warnings for these workloads. Kubernetes keeps events for about an hour.',
    partial: 'Some events could not be read',
    partialMessage: 'The timeline is incomplete: {{names}}.',
    truncated: 'Only the newest {{count}} events are shown.',
    showAll: 'Show all {{count}}',
    showFewer: 'Show fewer',
    type: {
      Warning: 'Warning',
      Normal: 'Normal',
    },
    count: '×{{count}}',
    countTitle: 'Seen {{count}} times since {{first}}',
    container: 'container {{name}}',
    where: 'cluster {{cluster}} · namespace {{namespace}}',
    reportedBy: 'reported by {{source}}',
    marker: {
      label: 'KubeCopilot',
      executed: 'Plan executed: {{action}} {{kind}} {{name}}',
      reverted: 'Plan reverted: {{action}} {{kind}} {{name}}',
      by: 'by {{who}}',
      open: 'Open the plan',
    },
  },
} as const;
