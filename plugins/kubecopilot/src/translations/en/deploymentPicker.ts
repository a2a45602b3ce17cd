/**
 * English messages of the scaffolder field `KubecopilotDeploymentPicker`
 * (part of `kubecopilotTranslationRef`).
 */
export const deploymentPickerMessages = {
  deploymentPicker: {
    chooseEntityFirst: 'Choose the service first',
    loading: 'Reading the workloads of {{entity}}…',
    option: '{{namespace}} · cluster {{cluster}} · {{ready}}/{{desired}} ready',
    noImage: 'no image',
    noMatch: 'No workload of that name',
    noneFound:
      'No {{kinds}} found for {{entity}} in its clusters. Type the name if you know it.',
    readError:
      'Could not read the workloads of {{entity}}: {{error}}. Type the name instead.',
    clusterError:
      'Cluster {{cluster}} could not be read ({{error}}): its workloads are missing from the list; a name can be typed.',
    invalidName:
      'Not a valid Kubernetes object name: lowercase letters, digits, "-" and "." only, starting and ending with a letter or digit, at most 253 characters.',
  },
} as const;
