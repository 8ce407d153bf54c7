/* Held-out-style messages: written in the dev set's style (forwarded customer messages:
 * medical devices, education, manufacturing) and answered from shared/specs/extraction.md
 * BEFORE the engine was run on them. Only the fields the spec decides are asserted; a
 * field left out of a row is one where the spec is ambiguous (see the notes in
 * docs/extraction-conventions.md). Reference moment: Tuesday 2026-03-10 10:00 Shanghai
 * unless a row says otherwise; catalog: the demo catalog. */
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from '@jest/globals';
import { extract, type Entities } from '../../src/nlp/index.js';
import { loadDemoCatalog, loadDev, scoreDev } from './scoring.js';

const REF = '2026-03-10T10:00:00+08:00';
const catalog = loadDemoCatalog();
const d = (day: string, time = '00:00', year = '2026'): string => `${year}-${day}T${time}:00+08:00`;

type Level = 'high' | 'medium' | 'low';
type DateRow = [string, string | null, string];
interface Row {
  text: string;
  ref?: string;
  persons?: Array<[string, string | null]>;
  /** Names only, for rows whose title is written in Traditional characters. */
  personNames?: string[];
  phones?: string[];
  emails?: string[];
  wechatIds?: string[];
  orgs?: string[];
  products?: string[];
  dates?: DateRow[];
  budget?: [number | null, number | null, string] | null;
  urgency?: Level;
  intent?: Level;
}

const ROWS: Row[] = [
  { text: '您好,我是上海市第六人民医院设备科的钱科长,我们想采购3台移动DR,电话021-64369181',
    persons: [['钱', '科长']], phones: ['021-64369181'], orgs: ['上海市第六人民医院'], products: ['sku-dr'], dates: [], budget: null, urgency: 'medium', intent: 'high' },
  { text: '王主任说下下周三上午十点过来看样机,到时候联系他 139-1234-5678',
    persons: [['王', '主任']], phones: ['13912345678'], dates: [[d('03-25', '10:00'), null, 'hour']], budget: null, urgency: 'medium', intent: 'high' },
  { text: '麻烦尽快把监护仪的报价单发到 li.na@hospital-sh.cn,谢谢',
    persons: [], emails: ['li.na@hospital-sh.cn'], products: ['sku-monitor'], budget: null, urgency: 'high', intent: 'high' },
  { text: '不急,下个月再联系吧', dates: [[d('04-01'), null, 'month']], urgency: 'low', intent: 'low' },
  { text: '客户说预算大概20w,想要两台制氧机和一台轮椅',
    budget: [200000, 200000, 'CNY'], products: ['sku-oxygen', 'sku-wheel'], urgency: 'medium', intent: 'high' },
  { text: '张医生的手机号是+86 135 8888 6666,微信号 zhangdoc_88',
    persons: [['张', '医生']], phones: ['13588886666'], wechatIds: ['zhangdoc_88'], urgency: 'low', intent: 'low' },
  { text: '订单号:SO20260308001,SN码 A1B2C3D4E5,设备型号 JX-3000,下周一发货',
    phones: [], dates: [[d('03-16'), null, 'day']], budget: null, urgency: 'medium', intent: 'low' },
  { text: '周五前能到货吗?着急用', dates: [[d('03-13'), null, 'day']], urgency: 'high', intent: 'low' },
  { text: '周三或者周四下午来做个演示',
    dates: [[d('03-11'), null, 'day'], [d('03-12'), null, 'day']], urgency: 'high', intent: 'high' },
  { text: '3月15日到20日之间安排培训', dates: [[d('03-15'), d('03-20'), 'day']], urgency: 'medium', intent: 'low' },
  { text: '价格不超过3万能做吗', budget: [null, 30000, 'CNY'], urgency: 'low', intent: 'medium' },
  { text: '至少5万起步吧,低了没法做', budget: [50000, null, 'CNY'], urgency: 'low', intent: 'low' },
  { text: '他们要50台血压计,单价控制在200元以内',
    budget: [null, 200, 'CNY'], products: ['sku-bp'], urgency: 'low', intent: 'medium' },
  { text: '这个项目两百万左右,下周二开标', budget: [2000000, 2000000, 'CNY'], dates: [[d('03-17'), null, 'day']], urgency: 'medium' },
  { text: '陈院长 18612345678 明天下午三点在院长办公室等你',
    persons: [['陈', '院长']], phones: ['18612345678'], dates: [[d('03-11', '15:00'), null, 'hour']], urgency: 'high', intent: 'low' },
  { text: '我们是苏州精工机械厂的,需要一台气密性检测仪,尽快报价',
    persons: [], orgs: ['苏州精工机械厂'], products: ['sku-leak'], urgency: 'high', intent: 'high' },
  { text: '欧阳老师您好,Python课程的试听安排在本周六下午2点',
    persons: [['欧阳', '老师']], products: ['sku-py'], dates: [[d('03-14', '14:00'), null, 'hour']], urgency: 'medium', intent: 'high' },
  { text: '暂时不考虑了,已经买了别家的血糖仪', products: ['sku-bgm'], urgency: 'low', intent: 'low' },
  { text: '400-800-1234 是我们售后热线,有问题随时打', phones: ['4008001234'], urgency: 'low', intent: 'low' },
  { text: '发票金额 12,800 元,快递单号 SF1391234567890', phones: [], budget: [12800, 12800, 'CNY'] },
  { text: '司马经理:会议改到下周四上午9:30',
    persons: [['司马', '经理']], dates: [[d('03-19', '09:30'), null, 'minute']], urgency: 'medium', intent: 'low' },
  { text: '李老板说 8k 以内的话可以直接下单',
    persons: [['李', '老板']], budget: [null, 8000, 'CNY'], urgency: 'medium', intent: 'high' },
  { text: '请问床旁DR多少钱?', products: ['sku-dr'], budget: null, urgency: 'low', intent: 'medium' },
  { text: '刘总,样品已经寄出,顺丰单号 SF1234567890123,预计后天到',
    persons: [['刘', '总']], phones: [], dates: [[d('03-12'), null, 'day']], urgency: 'high', intent: 'high' },
  { text: '公司座机 0571 8765 4321 转 8008', phones: ['0571-87654321'] },
  { text: '我们医院在张家港,周末可以去看看', persons: [], orgs: [], dates: [[d('03-14'), null, 'day']], urgency: 'medium' },
  { text: '黄金价格涨了,设备报价可能要上调5%', persons: [], budget: null, urgency: 'medium', intent: 'high' },
  { text: '客户出价最多 15000 美元', budget: [null, 15000, 'USD'], urgency: 'low', intent: 'low' },
  { text: '欧元报价:€8,500 含运费', budget: [8500, 8500, 'EUR'], intent: 'high' },
  { text: '在吗?急!!!心电监护器今天就要',
    products: ['sku-monitor'], dates: [[d('03-10'), null, 'day']], urgency: 'high', intent: 'medium' },
  { text: '東莞華宇電子廠的周經理下週一來談合同',
    personNames: ['周'], orgs: ['東莞華宇電子廠'], dates: [[d('03-16'), null, 'day']], urgency: 'medium', intent: 'high' },
  { text: 'ＩＣＵ需要两台监护仪，预算１５万左右，月底前到货',
    products: ['sku-monitor'], budget: [150000, 150000, 'CNY'], dates: [[d('03-31'), null, 'day']], urgency: 'medium', intent: 'high' },
  { text: '吴工的邮箱是 Wu.Gang@JXMach.com.cn', persons: [['吴', '工']], emails: ['wu.gang@jxmach.com.cn'] },
  { text: '加我vx:kelu_sales01 详聊', wechatIds: ['kelu_sales01'], phones: [] },
  { text: '上官女士问Python编程课一期多少钱,孩子10岁',
    persons: [['上官', '女士']], products: ['sku-py'], budget: null, urgency: 'low', intent: 'medium' },
  { text: '3天内给答复,不然就选别家了', dates: [[d('03-13'), null, 'day']], urgency: 'medium', intent: 'low' },
  { text: '两天内必须到货', dates: [[d('03-12'), null, 'day']], urgency: 'high' },
  { text: '明天上午或者后天下午都行', dates: [[d('03-11'), null, 'day'], [d('03-12'), null, 'day']], urgency: 'high' },
  { text: '报价单上写的是 ¥ 36,500,能不能再便宜点', budget: [36500, 36500, 'CNY'], urgency: 'medium', intent: 'high' },
  { text: '不着急,等你们把参数整理好再发我', intent: 'high' },
  { text: '4月3日下午2点到4点在会议室开会',
    dates: [[d('04-03', '14:00'), d('04-03', '16:00'), 'hour']], urgency: 'low', intent: 'low' },
  { text: '邮箱:sales@kelu-tech.com 电话:0755-8888 6666', emails: ['sales@kelu-tech.com'], phones: ['0755-88886666'] },
  { text: '孙女士:年底前要换一批轮椅,大概30台',
    persons: [['孙', '女士']], dates: [[d('12-31'), null, 'day']], products: ['sku-wheel'], budget: null, urgency: 'low', intent: 'medium' },
  { text: '复旦大学附属华山医院神经内科的龚主任想试用制氧机',
    orgs: ['复旦大学附属华山医院'], persons: [['龚', '主任']], products: ['sku-oxygen'], urgency: 'medium', intent: 'high' },
  { text: '这周五下午3点半视频会议,腾讯会议号 123 456 789',
    dates: [[d('03-13', '15:30'), null, 'minute']], phones: [], budget: null, urgency: 'medium' },
  { text: '马上安排,王者荣耀打完就去', persons: [], urgency: 'high', intent: 'low' },
  { text: '老周,明天8点前把标书发过来',
    persons: [['周', '老']], dates: [[d('03-11', '08:00'), null, 'hour']], urgency: 'high', intent: 'high' },
  { text: '学校这边预算5-8万,想采购一批Python课的教材',
    budget: [50000, 80000, 'CNY'], products: ['sku-py'], orgs: [], urgency: 'medium', intent: 'high' },
  { text: '北京市海淀区实验小学的赵校长对编程课感兴趣',
    orgs: ['北京市海淀区实验小学'], persons: [['赵', '校长']], products: [], urgency: 'low', intent: 'low' },
  { text: '三台检漏仪总共 4.5 万元,含税', budget: [45000, 45000, 'CNY'], products: ['sku-leak'], urgency: 'low', intent: 'medium' },
  { text: '请于3/20前回复是否参加投标', dates: [[d('03-20'), null, 'day']], urgency: 'medium', intent: 'high' },
  { text: '我是深圳市人民医院的,下周二能安排演示吗',
    orgs: ['深圳市人民医院'], dates: [[d('03-17'), null, 'day']], urgency: 'medium', intent: 'high' },
  { text: '王小姐电话 020 3876 5432', persons: [['王', '小姐']], phones: ['020-38765432'] },
  { text: '明早9点前把合同盖章扫描件发我,十万火急',
    dates: [[d('03-11', '09:00'), null, 'hour']], budget: null, urgency: 'high', intent: 'high' },
  { text: '麻烦问下家用血压计有优惠吗', products: ['sku-bp'], urgency: 'low', intent: 'medium' },
  { text: '下单前想先看看样机,5天后再约', dates: [[d('03-15'), null, 'day']], urgency: 'medium', intent: 'high' },
  { text: 'SN：JX2026031012345，设备故障，请派工程师上门', phones: [], persons: [], intent: 'low' },
  { text: '郑处长:招标文件已挂网,截止3月25日上午9点',
    persons: [['郑', '处长']], dates: [[d('03-25', '09:00'), null, 'hour']], urgency: 'medium', intent: 'high' },
  { text: '能便宜点吗?我们是小诊所,最多八千', budget: [null, 8000, 'CNY'], orgs: [], urgency: 'low', intent: 'medium' },
  { text: '每周一例会,不用管', dates: [], urgency: 'low' },
  { text: '电话:(021) 6437-1111', phones: ['021-64371111'] },
  { text: '客户手机尾号8888,全号是 150-0000-8888', phones: ['15000008888'] },
  { text: '我们厂年产值两个亿,这次想先买20台制氧机试试', budget: null, products: ['sku-oxygen'], orgs: [] },
  { text: 'Hi Tony, 我是Kelu的Amy, please call me at +86-138-1234-5678 ASAP', phones: ['13812345678'], persons: [], urgency: 'high' },
  { text: '这批货的金额是USD 20,000,下周五前付款',
    budget: [20000, 20000, 'USD'], dates: [[d('03-20'), null, 'day']], urgency: 'medium' },
  { text: '慢慢来,不赶时间,4月份再说', dates: [[d('04-01'), null, 'month']], urgency: 'low', intent: 'low' },
  { text: '诸葛先生想了解一下移动X光机的参数',
    persons: [['诸葛', '先生']], products: ['sku-dr'], urgency: 'medium', intent: 'high' },
  { text: '电子血压计和血糖检测仪各要10个,今天能发货吗',
    products: ['sku-bp', 'sku-bgm'], dates: [[d('03-10'), null, 'day']], budget: null, urgency: 'high', intent: 'medium' },
  { text: '钱款已到账,合同下周签', persons: [], dates: [[d('03-16'), null, 'week']], urgency: 'medium', intent: 'high' },
  { text: '方案我看了,江苏那边的客户也想要', persons: [], dates: [], urgency: 'low', intent: 'low' },
  { text: '邱园路那家药房的老板姓白,白老板说下个月5号来拿货',
    persons: [['白', '老板']], orgs: [], dates: [[d('04-05'), null, 'day']], urgency: 'low' },
  { text: '预算在3万到5万之间,主要看消毒供应室方案',
    budget: [30000, 50000, 'CNY'], products: ['sku-disinfect'], urgency: 'medium', intent: 'high' },
  { text: '我们是培训机构,想给老师们报Python课,大约40人,人均预算2000',
    budget: [2000, 2000, 'CNY'], products: ['sku-py'], intent: 'high' },
  { text: '端木主任今天下午在手术,晚点回你',
    persons: [['端木', '主任']], dates: [[d('03-10'), null, 'day']], urgency: 'high' },
  { text: '发个联系方式:13912345678 / 0512-6688 9900', phones: ['13912345678', '0512-66889900'] },
  { text: '序列号 18600001234 的机器坏了', phones: [] },
  { text: '28号下午两点,在杭州市第一人民医院门口集合',
    dates: [[d('03-28', '14:00'), null, 'hour']], orgs: ['杭州市第一人民医院'], urgency: 'low' },
  { text: '客户说不需要了,谢谢跟进', urgency: 'low', intent: 'low' },
  { text: '价格能打个九折吗?总价9万8', budget: [98000, 98000, 'CNY'], intent: 'medium' },
  { text: '贵司的产品我们很感兴趣,请尽快发一份报价和产品参数', orgs: [], urgency: 'high', intent: 'high' },
  { text: '周日不上班,周一再联系', dates: [[d('03-15'), null, 'day'], [d('03-16'), null, 'day']], urgency: 'medium' },
  { text: '联系人:夏侯经理 手机 159 0101 2323', persons: [['夏侯', '经理']], phones: ['15901012323'] },
  { text: '宁波东方医疗器械有限公司采购部的林经理,预算50万以内',
    orgs: ['宁波东方医疗器械有限公司'], persons: [['林', '经理']], budget: [null, 500000, 'CNY'], intent: 'high' },
  { text: '上周三发的货,到现在还没收到,急死了', dates: [[d('03-04'), null, 'day']], urgency: 'high' },
  { text: '2000块钱以内的血糖仪有推荐吗', budget: [null, 2000, 'CNY'], products: ['sku-bgm'], intent: 'medium' },
  { text: '这个月15号到18号安排工程师上门安装', persons: [], dates: [[d('03-15'), d('03-18'), 'day']], urgency: 'medium' },
  { text: '周一上午给你回复', ref: '2026-03-13T18:00:00+08:00', dates: [[d('03-16'), null, 'day']], urgency: 'medium' },
  { text: '周一前一定要送到', ref: '2026-03-14T09:00:00+08:00', dates: [[d('03-16'), null, 'day']], urgency: 'high' },
  { text: '下个月5号之前付尾款', ref: '2026-12-28T10:00:00+08:00', dates: [[d('01-05', '00:00', '2027'), null, 'day']], urgency: 'medium' },
  { text: '月底前能发货吗', ref: '2026-03-31T15:00:00+08:00', dates: [[d('03-31'), null, 'day']], urgency: 'high' },
  { text: '下下周再约', dates: [[d('03-23'), null, 'week']], urgency: 'medium' },
  { text: '20万以上的单子才给折扣', budget: [200000, null, 'CNY'], intent: 'medium' },
  { text: '十万块左右能拿下', budget: [100000, 100000, 'CNY'] },
  { text: '一百五十万的单子,下周三签约',
    budget: [1500000, 1500000, 'CNY'], dates: [[d('03-18'), null, 'day']], urgency: 'medium', intent: 'high' },
  { text: '每台3500元,一共12台', budget: [3500, 3500, 'CNY'] },
  { text: '单价$2,500,要8台', budget: [2500, 2500, 'USD'] },
  { text: '小李明天过来拿样品', persons: [['李', '小']], dates: [[d('03-11'), null, 'day']], urgency: 'high', intent: 'high' },
  { text: '马经理让我马上回电话', persons: [['马', '经理']], urgency: 'high' },
  { text: '常主任说常规检查不用做了', persons: [['常', '主任']], intent: 'low' },
  { text: '周主任周三有空', persons: [['周', '主任']], dates: [[d('03-11'), null, 'day']], urgency: 'high' },
  { text: '叶大夫和申屠工程师明天一起来', persons: [['叶', '大夫'], ['申屠', '工程师']], dates: [[d('03-11'), null, 'day']] },
  { text: '下週二上午10點到張總辦公室簽約',
    personNames: ['張'], dates: [[d('03-17', '10:00'), null, 'hour']], urgency: 'medium', intent: 'high' },
  { text: '(+86)13800138000', phones: ['13800138000'] },
  { text: '0086-138 0013 8000', phones: ['13800138000'] },
  { text: '手机1380 013 8000', phones: ['13800138000'] },
  { text: 'EUR 3,000 一台', budget: [3000, 3000, 'EUR'] },
  { text: '慕容女士的助理小张会联系你', persons: [['慕容', '女士'], ['张', '小']] },
  { text: '我们是江苏省人民医院,需要采购一批轮椅', orgs: ['江苏省人民医院'], products: ['sku-wheel'], intent: 'high' },
  { text: '上海联影医疗科技股份有限公司的招标下个月开始', orgs: ['上海联影医疗科技股份有限公司'], intent: 'high' },
  { text: '浙江省肿瘤医院放疗科的顾主任', orgs: ['浙江省肿瘤医院'], persons: [['顾', '主任']] },
  { text: '温州医科大学附属第一医院要两台制氧机', orgs: ['温州医科大学附属第一医院'], products: ['sku-oxygen'] },
  { text: '华为技术有限公司的采购说要20台', orgs: ['华为技术有限公司'], budget: null, intent: 'high' },
];

/** The asserted fields of a row, projected from the engine's answer. */
function project(row: Row, e: Entities): Partial<Row> {
  const out: Partial<Row> = {};
  if (row.persons) out.persons = e.persons.map((p) => [p.name, p.title]);
  if (row.personNames) out.personNames = e.persons.map((p) => p.name);
  if (row.phones) out.phones = e.phones;
  if (row.emails) out.emails = e.emails;
  if (row.wechatIds) out.wechatIds = e.wechatIds;
  if (row.orgs) out.orgs = e.organizations.map((o) => o.name);
  if (row.products) out.products = e.products.map((p) => p.id);
  if (row.dates) out.dates = e.dates.map((x) => [x.start, x.end, x.grain]);
  if (row.budget !== undefined) out.budget = e.budget && [e.budget.min, e.budget.max, e.budget.currency];
  if (row.urgency) out.urgency = e.urgency.level;
  if (row.intent) out.intent = e.intent.level;
  return out;
}

function expected(row: Row): Partial<Row> {
  const { text: _t, ref: _r, ...rest } = row;
  return rest;
}

const run = (row: Row): Entities => extract(row.text, { ref: row.ref ?? REF, timeZone: 'Asia/Shanghai', catalog });

describe('held-out-style messages', () => {
  it.each(ROWS.map((r) => [r.text, r] as const))('%s', (_text, row) => {
    expect(project(row, run(row))).toEqual(expected(row));
  });

  it('reports how many messages pass every asserted field', () => {
    const fails = ROWS.filter((r) => !isDeepStrictEqual(project(r, run(r)), expected(r)));
    console.log(`held-out-style: ${ROWS.length - fails.length}/${ROWS.length} messages pass`);
    expect(fails.length).toBe(0);
  });
});

describe('extraction-dev.jsonl stays exact', () => {
  it('scores 1.000 on every field', () => {
    const { scores, misses } = scoreDev(loadDev(), (row) => extract(row.text, { ref: row.ref, timeZone: 'Asia/Shanghai', catalog }));
    if (misses.length) console.log(misses.join('\n'));
    for (const v of Object.values(scores)) expect(v).toBe(1);
  });
});
