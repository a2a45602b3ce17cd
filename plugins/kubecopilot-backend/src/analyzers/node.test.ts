import type { Finding } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { nodeAnalyzer } from './node';
import { ev, f, loadContext } from './__fixtures__';

const notReady = 'ip-10-0-3-77.eu-west-1.compute.internal';
const pressured = 'ip-10-0-2-41.eu-west-1.compute.internal';
const EVICTED =
  'The node was low on resource: ephemeral-storage. Threshold quantity: 10365611827, available: 9872436Ki. Container ingest was using 31457280Ki, request is 0, has larger consumption of ephemeral-storage.';

const cases: Array<[string, Finding[]]> = [
  ['healthy-all-kinds', []],
  [
    // Every condition is Unknown: only NotReady is reported, not "Unknown pressure".
    'node-not-ready',
    [
      {
        analyzer: 'node',
        code: 'NodeNotReady',
        severity: 'critical',
        cluster: 'prod-eu',
        resource: { kind: 'Node', name: notReady },
        message: `Node ${notReady} is not Ready (Unknown, NodeStatusUnknown): Kubelet stopped posting node status. No new pods are scheduled there, and its pods are evicted once their toleration (300 s by default) runs out.`,
        evidence: [
          f('status.conditions[Ready].status', 'Unknown'),
          f('status.conditions[Ready].reason', 'NodeStatusUnknown'),
          f(
            'status.conditions[Ready].message',
            'Kubelet stopped posting node status.',
          ),
          f(
            'spec.taints',
            'node.kubernetes.io/unreachable:NoSchedule, node.kubernetes.io/unreachable:NoExecute',
          ),
          ev('NodeNotReady', `Node ${notReady} status is now: NodeNotReady`, 1),
        ],
        proposedFix: {
          description: `The kubelet on ${notReady} stopped posting status: check that the machine is up and reachable and that the kubelet and container runtime run.`,
        },
      },
    ],
  ],
  [
    'node-pressure',
    [
      {
        analyzer: 'node',
        code: 'NodePressure',
        severity: 'warning',
        cluster: 'prod-eu',
        resource: { kind: 'Node', name: pressured },
        message: `Node ${pressured} is under MemoryPressure, DiskPressure: kubelet has insufficient memory available; kubelet has disk pressure.`,
        evidence: [
          f('status.conditions[MemoryPressure].status', 'True'),
          f(
            'status.conditions[MemoryPressure].reason',
            'KubeletHasInsufficientMemory',
          ),
          f(
            'status.conditions[MemoryPressure].message',
            'kubelet has insufficient memory available',
          ),
          f('status.conditions[DiskPressure].status', 'True'),
          f('status.conditions[DiskPressure].reason', 'KubeletHasDiskPressure'),
          f(
            'status.conditions[DiskPressure].message',
            'kubelet has disk pressure',
          ),
          ev('EvictionThresholdMet', 'Attempting to reclaim memory', 1),
        ],
        proposedFix: {
          description: `On ${pressured}, the kubelet evicts pods to reclaim memory: set memory requests/limits that match real use, or add memory; the kubelet evicts pods and garbage-collects images: free disk (logs, emptyDir, images) or grow the disk.`,
        },
      },
    ],
  ],
  [
    // The kubelet names the container that filled the disk: the advice starts there.
    'node-disk-pressure-eviction',
    [
      {
        analyzer: 'node',
        code: 'NodePressure',
        severity: 'warning',
        cluster: 'prod-eu',
        resource: { kind: 'Node', name: 'eval-node-disk' },
        message:
          'Node eval-node-disk is under DiskPressure: kubelet has disk pressure. It evicted 1 pod(s) of this entity (ingest-9d6b7c5f48-v7xr5), the latest 6 min ago: container ingest was using 31457280Ki of ephemeral-storage (request 0).',
        evidence: [
          f('status.conditions[DiskPressure].status', 'True'),
          f('status.conditions[DiskPressure].reason', 'KubeletHasDiskPressure'),
          f(
            'status.conditions[DiskPressure].message',
            'kubelet has disk pressure',
          ),
          ev(
            'FreeDiskSpaceFailed',
            'Failed to garbage collect required amount of images. Attempted to free 10493154918 bytes, but only found 0 bytes eligible to free.',
            2,
          ),
          ev(
            'EvictionThresholdMet',
            'Attempting to reclaim ephemeral-storage',
            7,
          ),
          f('pods evicted from eval-node-disk', 'ingest-9d6b7c5f48-v7xr5'),
          f('Pod/ingest-9d6b7c5f48-v7xr5.status.message', EVICTED),
        ],
        proposedFix: {
          description:
            "On eval-node-disk, container ingest wrote 31457280Ki to the node's disk with no ephemeral-storage request: find what it writes (logs, temp files, its writable layer), and set resources.requests/limits.ephemeral-storage or an emptyDir sizeLimit so the scheduler counts it and only it is evicted; the kubelet evicts pods and garbage-collects images: free disk (logs, emptyDir, images) or grow the disk.",
        },
      },
    ],
  ],
];

describe('nodeAnalyzer', () => {
  it.each(cases)('%s', (fixture, expected) => {
    expect(nodeAnalyzer.analyze(loadContext(fixture))).toEqual(expected);
  });
});
