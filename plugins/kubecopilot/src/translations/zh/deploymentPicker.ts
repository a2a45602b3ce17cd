/** zh-CN: the scaffolder field `KubecopilotDeploymentPicker`. */
export const zhDeploymentPicker = {
  'deploymentPicker.chooseEntityFirst': '请先选择服务',
  'deploymentPicker.loading': '正在读取 {{entity}} 的工作负载…',
  'deploymentPicker.option':
    '{{namespace}} · 集群 {{cluster}} · {{ready}}/{{desired}} 就绪',
  'deploymentPicker.noImage': '无镜像',
  'deploymentPicker.noMatch': '没有该名称的工作负载',
  'deploymentPicker.noneFound':
    '在 {{entity}} 的集群中未找到 {{kinds}}。如果知道名称，可直接输入。',
  'deploymentPicker.readError':
    '无法读取 {{entity}} 的工作负载：{{error}}。请直接输入名称。',
  'deploymentPicker.clusterError':
    '无法读取集群 {{cluster}}（{{error}}）：列表中缺少它的工作负载，可直接输入名称。',
  'deploymentPicker.invalidName':
    '不是有效的 Kubernetes 对象名称：只能包含小写字母、数字、“-”和“.”，以字母或数字开头和结尾，最多 253 个字符。',
};
