import { stageModelSchema, type StageModel } from './stage.types.js';

/** The model a tenant starts with (version 0, not stored): a B2B sale to hospitals and institutions. */
export const DEFAULT_STAGE_MODEL: StageModel = stageModelSchema.parse({
  stages: [
    { key: 'contact', name: '初步接触' },
    { key: 'needs', name: '需求确认' },
    {
      key: 'solution', name: '方案确认',
      actions: [{ kind: 'message', title: '方案确认', text: '客户预算已批复，请使用《国产替代方案对比模板》准备方案。' }],
    },
    {
      key: 'technical', name: '技术对接',
      actions: [{ kind: 'todo', title: '提交技术参数', assignee: { role: 'after_sales' }, dueMinutes: 120 }],
    },
    { key: 'bidding', name: '投标准备', actions: [{ kind: 'notifyManager' }, { kind: 'comparableDeals' }] },
    { key: 'negotiation', name: '商务谈判', actions: [{ kind: 'comparableDeals' }] },
    { key: 'won', name: '成交', outcome: 'won' },
    { key: 'lost', name: '输单', outcome: 'lost' },
  ],
  questions: [
    { key: 'has_need', text: '客户已明确采购需求？', kind: 'yesno' },
    { key: 'budget_approved', text: '预算已批复？', kind: 'yesno' },
    { key: 'tech_params', text: '约定提交技术参数？', kind: 'yesno' },
    { key: 'tender_no', text: '已收到招标文件编号？', kind: 'yesno' },
    { key: 'price_talks', text: '已开始谈价格或合同条款？', kind: 'yesno' },
    {
      key: 'decision_maker', text: '最终决策人是谁？', kind: 'single', stages: ['needs', 'solution', 'technical'],
      options: [{ key: 'dean', label: '院长' }, { key: 'director', label: '科主任' }, { key: 'purchasing', label: '采购部' }, { key: 'other', label: '其他' }],
    },
  ],
  rules: [
    { when: [{ question: 'price_talks', equals: 'yes' }], stage: 'negotiation' },
    { when: [{ question: 'tender_no', equals: 'yes' }], stage: 'bidding' },
    { when: [{ question: 'tech_params', equals: 'yes' }], stage: 'technical' },
    { when: [{ question: 'budget_approved', equals: 'yes' }], stage: 'solution' },
    { when: [{ question: 'has_need', equals: 'yes' }], stage: 'needs' },
  ],
  roles: [{ key: 'after_sales', name: '售后工程师', userIds: [] }],
  stuckDays: 14,
});
