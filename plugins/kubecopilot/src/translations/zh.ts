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
    'diagnose.card.title': 'AI 诊断',
    'diagnose.card.subheader': '这个服务的工作负载出了什么问题，原因是什么',
    'diagnose.card.notAllowed': '你没有运行诊断的权限（kubecopilot.diagnose）。请向管理员申请。',
    'diagnose.card.noPermissionApi':
      '诊断已停用：此应用没有可用于检查 kubecopilot.diagnose 的权限 API。',
    'diagnose.card.buttonReason': '立即分析工作负载及其事件和日志',
    'diagnose.card.checkingPermission': '正在检查你是否可以运行诊断…',
    'diagnose.card.running': '诊断正在运行',
    'diagnose.card.diagnosing': '诊断中…',
    'diagnose.card.diagnose': '诊断',
    'diagnose.card.historyError': '无法加载最近的诊断',
    'diagnose.card.reload': '重新加载诊断',
    'diagnose.card.emptyTitle': '尚无诊断',
    'diagnose.card.emptyDescription':
      '点击“诊断”分析 {{entityRef}} 的工作负载：状态、事件和最近的日志。发现的问题、证据和建议的修复会显示在这里。',
    'diagnose.card.emptyDenied': '还没有人诊断过 {{entityRef}}。{{reason}}',
    'diagnose.card.progressLabel': '诊断中',
    'diagnose.card.progress': '诊断中：正在读取工作负载、事件和日志并进行分析，可能需要几秒钟。',
    'diagnose.card.failed': '诊断失败',
    'diagnose.result.sourceRules': '规则',
    'diagnose.result.sourceAi': 'AI',
    'diagnose.result.sourceAiWith': 'AI（{{details}}）',
    'diagnose.result.tokens': '提示 {{prompt}} + 补全 {{completion}} 个 token',
    'diagnose.result.tokensWithContext':
      '{{tokens}}；发送上下文 {{sent}} / {{raw}} 个字符（{{percent}}%）',
    'diagnose.result.answeredBy': '由{{source}}给出',
    'diagnose.result.target': '{{action}} {{kind}} {{name}}',
    'diagnose.result.targetIn': '{{action}} {{cluster}} 中的 {{kind}} {{name}}',
    'diagnose.result.healthyTitle': '所有工作负载运行正常',
    'diagnose.result.healthy': '分析器没有发现这些工作负载有任何问题，无需修复。',
    'diagnose.result.rootCause': '根因：',
    'diagnose.result.fallback': '未使用 LLM：{{reason}}。此结果来自基于规则的分析器。',
    'diagnose.result.partialTitle_one': '部分诊断：有 {{count}} 部分无法收集',
    'diagnose.result.partialTitle_other': '部分诊断：有 {{count}} 部分无法收集',
    'diagnose.result.partialMessage': '以下发现仅基于能够读取到的信息。',
    'diagnose.result.findings': '发现的问题',
    'diagnose.result.noFindings': '在可读取的信息中没有发现问题；请查看上方缺失的部分。',
    'diagnose.result.recommendations': '建议',
    'diagnose.result.recommendationsHint':
      '“创建计划”会起草一个待审查的计划；在计划被批准并执行之前，集群中不会有任何变化。',
    'diagnose.result.recommendationsLabel': '建议',
    'diagnose.result.usage': 'Token 用量：{{usage}}',
    'diagnose.history.title': '最近的诊断',
    'diagnose.history.label': '最近的诊断',
    'diagnose.history.partial': '部分',
    'time.justNow': '刚刚',
    'common.loading': '加载中…',
    'common.retry': '重试',
    'common.cancel': '取消',
    'common.close': '关闭',
    'common.refresh': '刷新',
  },
});

export default zh;
