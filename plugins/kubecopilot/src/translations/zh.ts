/**
 * Simplified Chinese (zh-CN). Terminology follows the original design
 * document: 诊断 (diagnosis), 操作计划 (Operation Plan), 审批 (approval),
 * 风险 (risk), 回滚 (rollback), 金丝雀发布 (canary), 审计 (audit),
 * 漂移 (drift), 错误预算 (error budget).
 *
 * Every key of `kubecopilotTranslationRef`, flattened, as a plain object:
 * the ref loads this module itself (its type checks that no key is missing),
 * so this module must not import the ref.
 */
import { zhDeploymentPicker } from './zh/deploymentPicker';
import { zhEvents } from './zh/events';
import { zhInsight } from './zh/insight';
import { zhOperations } from './zh/operations';

const zh = {
  ...zhInsight,
  ...zhOperations,
  ...zhDeploymentPicker,
  ...zhEvents,
};

export default zh;
