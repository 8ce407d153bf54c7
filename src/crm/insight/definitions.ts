import type { InsightSettings } from './settings.js';
import { SURVIVAL_DAYS, SURVIVAL_SILENT_DAYS } from './metrics.repo.js';

// What each number means, shown wherever the number is (API, dashboard, report card, exports).

export type MetricKey = 'responseRate' | 'completeness' | 'collaboration' | 'survival';
export const HEALTH_KEYS: MetricKey[] = ['responseRate', 'completeness', 'collaboration', 'survival'];

export function definitions(s: InsightSettings): Record<MetricKey | 'funnel' | 'costPerLead' | 'costPerWon' | 'credit' | 'assignmentHeat' | 'responseHeat', { label: string; definition: string }> {
  return {
    responseRate: {
      label: '首响率',
      definition: `期间内新建的线索中，${s.responseMinutes} 分钟内有首次回复的比例（从线索创建算起；创建不足 ${s.responseMinutes} 分钟的线索暂不计入）。中位数和 P90 只算已回复的线索。`,
    },
    completeness: {
      label: '资料完整率',
      definition: '期间内新建的客户（不含已合并的）中，电话、单位、需求（消息里提到过产品，或填写了需求）三项都有的比例。',
    },
    collaboration: {
      label: '协作密度',
      definition: '期间内每个客户每个自然月里，留下记录（消息、回复、备注）的同事有几种角色（销售、经理、管理员），按“客户×月”取平均。',
    },
    survival: {
      label: '线索存活率',
      definition: `期间内新建、且已满 ${SURVIVAL_DAYS} 天的线索中，第 ${SURVIVAL_DAYS} 天时仍存活的比例：已成交，或未丢单且第 ${SURVIVAL_DAYS} 天前 ${SURVIVAL_SILENT_DAYS} 天内与客户有过往来（否则算沉默）。`,
    },
    funnel: { label: '来源漏斗', definition: '期间内新建的线索按来源渠道和活动（utm campaign）分组：线索数、已联系（有首次回复或到过“已联系”）、已确认需求、成交、丢单；转化率 = 成交 / 线索数。' },
    costPerLead: { label: '单条线索成本', definition: '期间内录入的投放花费 ÷ 同一来源（和活动）的线索数；没有录入花费的来源不计算。' },
    costPerWon: { label: '单个成交成本', definition: '期间内录入的投放花费 ÷ 同一来源（和活动）期间内新建、已成交的线索数；没有录入花费或没有成交的来源不计算。另有“按积分分配的成交”的成本：花费 ÷ 分到的成交份额。' },
    credit: { label: '按积分分配的成交', definition: '期间内成交的客户，按其在落地页上的行为积分（经由哪个推广链接的渠道和活动）分给各渠道的份额之和；一个成交的份额合计为 1，没有积分时平分给点过的链接。' },
    assignmentHeat: { label: '分配热力图', definition: '期间内分配给每位销售的线索数，按分配时刻（租户时区的小时）统计；重新分配的线索按最后一次分配计。' },
    responseHeat: { label: '响应热力图', definition: `期间内新建线索按负责人和进线时刻（租户时区的小时）统计：首次回复时间中位数（分钟），以及 ${s.responseMinutes} 分钟内回复数。` },
  };
}

export const pct = (v: number | null): string => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);
export const minutes = (secs: number | null): string => (secs === null ? '—' : `${(secs / 60).toFixed(1)} 分钟`);
