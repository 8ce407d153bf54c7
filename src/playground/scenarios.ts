// The playground's one-click stories. Each is a list of steps the routes play through the real
// adapters (the customer's lines stay in the playground's customer chat; everything else is a
// platform message or a lead from outside).

export type ScenarioStep =
  | { kind: 'customer'; text: string }
  | { kind: 'forward' }
  /** Until the forwarded message is on a customer (the inbox works in parallel: a command after it must not overtake it). */
  | { kind: 'wait' }
  | { kind: 'rep'; text: string }
  | { kind: 'intake'; text: string };

export interface Scenario {
  name: string;
  label: string;
  /** What to watch for, in Chinese (shown by the button). */
  hint: string;
  steps(now: Date): ScenarioStep[];
}

export const SCENARIOS: readonly Scenario[] = [
  {
    name: 'forward',
    label: '转发一条线索',
    hint: '客户发来需求，销售转发给客路：客户、线索和跟进提醒自动建好，销售收到确认卡片；新客户意向高时经理收到待办。再点一次：同一客户，归档到老客户。',
    steps: () => [
      { kind: 'customer', text: '您好，我是杭州市第一人民医院设备科的周明，电话 13912345678。我们想采购血糖仪，预算20万左右，下周三下午方便来演示吗？' },
      { kind: 'forward' },
    ],
  },
  {
    name: 'escalate',
    label: '无人认领自动升级',
    hint: '官网表单来了一条线索，分给值班销售；演示时钟快进，超时未认领就转给下一位，最后变成经理待办。',
    steps: () => [
      { kind: 'intake', text: '官网留言：宁波市妇幼保健院 赵科长 13700001111，咨询移动DR，想尽快报价' },
    ],
  },
  {
    name: 'stage',
    label: '阶段问卷',
    hint: '销售发“阶段 13912345678”，客路发来阶段问题卡片；回答后客户进入下一阶段。',
    steps: () => [
      { kind: 'customer', text: '您好，我是杭州市第一人民医院设备科的周明，电话 13912345678。我们想采购血糖仪，预算20万左右，下周三下午方便来演示吗？' },
      { kind: 'forward' },
      { kind: 'wait' },
      { kind: 'rep', text: '阶段 13912345678' },
    ],
  },
];
