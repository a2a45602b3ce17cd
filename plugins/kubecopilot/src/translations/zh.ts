import { createTranslationMessages } from '@backstage/frontend-plugin-api';
import { kubecopilotTranslationRef } from '../translation';

/**
 * Simplified Chinese (zh-CN). Terminology follows the original design
 * document: 诊断 (diagnosis), 操作计划 (Operation Plan), 审批 (approval),
 * 风险 (risk), 回滚 (rollback), 金丝雀发布 (canary), 审计 (audit),
 * 漂移 (drift), 错误预算 (error budget).
 */
const zh = createTranslationMessages({
  ref: kubecopilotTranslationRef,
  messages: {
    'pages.home': 'KubeCopilot',
    'pages.inbox': '审批收件箱',
    'pages.diagnoseTab': 'AI 诊断',
    'pages.plansTab': '操作计划',
    'common.loading': '加载中…',
    'common.retry': '重试',
    'common.cancel': '取消',
    'common.close': '关闭',
    'common.refresh': '刷新',
  },
});

export default zh;
