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
  // Second batch, written after the first one passed, to probe further.
  { text: '张三丰老师下周一到周三都在学校', persons: [['张三丰', '老师']], dates: [[d('03-16'), d('03-18'), 'day']], urgency: 'medium' },
  { text: '王建国主任让我转告:参数表明天发你', persons: [['王建国', '主任']], dates: [[d('03-11'), null, 'day']], urgency: 'high', intent: 'high' },
  { text: '请找财务部的孙会计开发票', persons: [['孙', '会计']], intent: 'low' },
  { text: '胡院长和他的秘书小林明天上午到', persons: [['胡', '院长'], ['林', '小']], dates: [[d('03-11'), null, 'day']], urgency: 'high' },
  { text: '周医生周一出诊,周二休息', persons: [['周', '医生']], dates: [[d('03-16'), null, 'day'], [d('03-10'), null, 'day']] },
  { text: '林总监、曹主管和谭护士长都同意试用', persons: [['林', '总监'], ['曹', '主管'], ['谭', '护士长']], intent: 'high' },
  { text: '东方经理和皇甫医生周四一起过来', persons: [['东方', '经理'], ['皇甫', '医生']], dates: [[d('03-12'), null, 'day']], urgency: 'high' },
  { text: '金总说金额没问题,易老师那边也同意', persons: [['金', '总'], ['易', '老师']], budget: null },
  { text: '程序员小哥说成都的客户安排好了', persons: [] },
  { text: '手机:138.0013.8000', phones: ['13800138000'] },
  { text: '电话：０２１－６４５７８８８８', phones: ['021-64578888'] },
  { text: '总机 800-820-8820,或者打 13800138000、13900139000', phones: ['8008208820', '13800138000', '13900139000'] },
  { text: '电话 010 8888 6666 找前台', phones: ['010-88886666'] },
  { text: '报价 13800 元/台', phones: [], budget: [13800, 13800, 'CNY'], intent: 'high' },
  { text: '批号 20260310 的试纸有问题', phones: [], dates: [] },
  { text: '合同编号 HT-2026-0310-001 已归档', phones: [], dates: [], intent: 'high' },
  { text: '他给的号码是1391234567,少了一位', phones: [] },
  { text: '预算 50 万,下个月招标', budget: [500000, 500000, 'CNY'], dates: [[d('04-01'), null, 'month']], intent: 'high', urgency: 'medium' },
  { text: '这类设备一般5k-8k', budget: [5000, 8000, 'CNY'] },
  { text: '能接受的价格在3w-5w', budget: [30000, 50000, 'CNY'], intent: 'medium' },
  { text: '10万~15万都可以谈', budget: [100000, 150000, 'CNY'] },
  { text: '报价 ¥128,000.00 含三年保修', budget: [128000, 128000, 'CNY'], intent: 'high' },
  { text: '客户预算是 USD 5k', budget: [5000, 5000, 'USD'], intent: 'high' },
  { text: '他们愿意出5万美金', budget: [50000, 50000, 'USD'] },
  { text: '德国客户预算2万欧元', budget: [20000, 20000, 'EUR'] },
  { text: '总价不超过二十万', budget: [null, 200000, 'CNY'] },
  { text: '费用在八千到一万之间', budget: [8000, 10000, 'CNY'] },
  { text: '一万五左右能做吗', budget: [15000, 15000, 'CNY'] },
  { text: '预算大概在30到50万', budget: [300000, 500000, 'CNY'], intent: 'high' },
  { text: '五万块以上的都不考虑', budget: [50000, null, 'CNY'], intent: 'low' },
  { text: '订了100台,每台单价980', budget: [980, 980, 'CNY'] },
  { text: '2024年的合同金额是300万', budget: [3000000, 3000000, 'CNY'], intent: 'high' },
  { text: '50%预付款,打8折', budget: null },
  { text: '能不能今天之内给个报价', dates: [[d('03-10'), null, 'day']], urgency: 'high', intent: 'high' },
  { text: '请立刻回电', urgency: 'high', intent: 'low' },
  { text: '急急急!客户在等', urgency: 'high' },
  { text: '不是很急,你们先忙', urgency: 'low', intent: 'low' },
  { text: '我们想要一份产品目录', urgency: 'low', intent: 'low' },
  { text: '合同已经签了,下周付款', intent: 'high', dates: [[d('03-16'), null, 'week']], urgency: 'medium' },
  { text: '你们有没有替代进口的国产检漏仪', products: ['sku-leak'], intent: 'high', urgency: 'medium' },
  { text: '广州市妇女儿童医疗中心的采购科', orgs: ['广州市妇女儿童医疗中心'], intent: 'high' },
  { text: '北京大学第一医院想做消毒供应室改造', orgs: ['北京大学第一医院'] },
  { text: '华东师范大学第二附属中学的老师', orgs: ['华东师范大学第二附属中学'], persons: [] },
  { text: '成都市第三人民医院放射科要床旁DR', orgs: ['成都市第三人民医院'], products: ['sku-dr'] },
  { text: '某三甲医院的设备科', orgs: [] },
  { text: '上海交通大学医学院附属瑞金医院', orgs: ['上海交通大学医学院附属瑞金医院'] },
  { text: '昆山市精密模具厂要两台检漏仪', orgs: ['昆山市精密模具厂'], products: ['sku-leak'], budget: null },
  { text: '宁波市鄞州区第二医院的叶主任', orgs: ['宁波市鄞州区第二医院'], persons: [['叶', '主任']] },
  { text: '3月15号-20号出差', dates: [[d('03-15'), d('03-20'), 'day']] },
  { text: '本月底前完成安装', dates: [[d('03-31'), null, 'day']] },
  { text: '下月初发货', dates: [[d('04-01'), null, 'day']], urgency: 'low' },
  { text: '4月初或者5月底', dates: [[d('04-01'), null, 'day'], [d('05-31'), null, 'day']] },
  { text: '周三下午3点到5点开会', dates: [[d('03-11', '15:00'), d('03-11', '17:00'), 'hour']], urgency: 'high' },
  { text: '明天中午12点半吃饭聊', dates: [[d('03-11', '12:30'), null, 'minute']] },
  { text: '今晚八点半电话会', dates: [[d('03-10', '20:30'), null, 'minute']], urgency: 'high' },
  { text: '10号前必须回款', dates: [[d('03-10'), null, 'day']], urgency: 'high' },
  { text: '15号之前给我答复', dates: [[d('03-15'), null, 'day']], urgency: 'medium' },
  { text: '下午三点过来', dates: [[d('03-10', '15:00'), null, 'hour']], urgency: 'high' },
  { text: '后天早上8点半出发', dates: [[d('03-12', '08:30'), null, 'minute']], urgency: 'high' },
  { text: '星期五下午有空吗', dates: [[d('03-13'), null, 'day']], urgency: 'medium' },
  { text: '礼拜一见', dates: [[d('03-16'), null, 'day']] },
  { text: '2026年4月10日开标', dates: [[d('04-10'), null, 'day']], urgency: 'low' },
  { text: '4/15 之前寄样品', dates: [[d('04-15'), null, 'day']], intent: 'high' },
  { text: '2026/04/15 验收', dates: [[d('04-15'), null, 'day']] },
  { text: '明天或后天都行', dates: [[d('03-11'), null, 'day'], [d('03-12'), null, 'day']], urgency: 'high' },
  { text: '周四、周五都可以', dates: [[d('03-12'), null, 'day'], [d('03-13'), null, 'day']] },
  { text: '4月1日至4月3日展会', dates: [[d('04-01'), d('04-03'), 'day']] },
  { text: '三月二十号上午十点', dates: [[d('03-20', '10:00'), null, 'hour']] },
  { text: '下周五下午两点半', dates: [[d('03-20', '14:30'), null, 'minute']] },
  { text: '下下周五前', dates: [[d('03-27'), null, 'day']] },
  // Third batch: longer forwarded messages and traps (numbers that are not money/phones/dates).
  { text: '【客户留言】您好，我是河南省人民医院采购中心的马老师，我们计划对3台移动DR进行公开招标，预算约180万元，请贵公司尽快提供产品参数和报价。联系电话：0371-65580000，手机：186 3711 2233，邮箱：ma.teacher@hnsrmyy.net',
    persons: [['马', '老师']], phones: ['0371-65580000', '18637112233'], emails: ['ma.teacher@hnsrmyy.net'], products: ['sku-dr'],
    budget: [1800000, 1800000, 'CNY'], urgency: 'high', intent: 'high' },
  { text: '转发客户消息：王姐说她们幼儿园要做消毒供应室方案，下个月底前要出初稿，预算不多，10万以内',
    persons: [['王', '姐']], products: ['sku-disinfect'], dates: [[d('04-30'), null, 'day']], budget: [null, 100000, 'CNY'], urgency: 'medium', intent: 'high' },
  { text: '李经理您好！上次说的那批轮椅（型号WC-2000）能否在本周五之前发货？数量50台，单价能否再优惠些？',
    persons: [['李', '经理']], products: ['sku-wheel'], dates: [[d('03-13'), null, 'day']], budget: null, phones: [], urgency: 'medium', intent: 'medium' },
  { text: '客户反馈：血压计屏幕不亮，SN:BP20250912003，购买日期2025-09-12，要求换新',
    products: ['sku-bp'], phones: [], dates: [['2025-09-12T00:00:00+08:00', null, 'day']] },
  { text: '诸葛亮老师的Python课还有名额吗?孩子今年12岁', persons: [['诸葛亮', '老师']], products: ['sku-py'], budget: null, intent: 'medium' },
  { text: '請問電動輪椅的價格是多少？我們是台北榮民總醫院', products: ['sku-wheel'], orgs: ['台北榮民總醫院'], intent: 'medium' },
  { text: 'ok 收到，下週三前回覆你，Thanks!', dates: [[d('03-18'), null, 'day']], urgency: 'medium' },
  { text: '客户说3万太贵了，最多能接受2万5', budget: [null, 25000, 'CNY'] },
  { text: '三台一共九万六', budget: [96000, 96000, 'CNY'] },
  { text: '便宜点,8折的话就是6.4万', budget: [64000, 64000, 'CNY'], intent: 'medium' },
  { text: '陈工,SN码 13800138000 那台机器需要返厂', phones: [], persons: [['陈', '工']] },
  { text: '加微信:Chen_Hospital2026 或者打我电话', wechatIds: ['Chen_Hospital2026'] },
  { text: 'wx：lily-2026', wechatIds: ['lily-2026'] },
  { text: '我的微信是 13912345678', wechatIds: ['13912345678'], phones: ['13912345678'] },
  { text: '邮箱是 ZhangWei@163.com，也可以发 QQ邮箱 12345678@qq.com', emails: ['zhangwei@163.com', '12345678@qq.com'], phones: [] },
  { text: '电话13812345678(微信同号)', phones: ['13812345678'] },
  { text: '下个礼拜三下午三点', dates: [[d('03-18', '15:00'), null, 'hour']], urgency: 'medium' },
  { text: '这礼拜五再碰一下', dates: [[d('03-13'), null, 'day']] },
  { text: '明年1月再说', dates: [['2027-01-01T00:00:00+08:00', null, 'month']], urgency: 'low' },
  { text: '8号或者9号', dates: [[d('04-08'), null, 'day'], [d('04-09'), null, 'day']], urgency: 'low' },
  { text: '12号下午4点', dates: [[d('03-12', '16:00'), null, 'hour']], urgency: 'medium' },
  { text: '今天下班前给我', dates: [[d('03-10'), null, 'day']], urgency: 'high' },
  { text: '3天之内', dates: [[d('03-13'), null, 'day']], urgency: 'medium' },
  { text: '48小时内回复', dates: [[d('03-12', '10:00'), null, 'hour']], urgency: 'high' },
  { text: '麻烦转告一下钟离主任', persons: [['钟离', '主任']] },
  { text: '万主任说下周来', persons: [['万', '主任']], budget: null, dates: [[d('03-16'), null, 'week']] },
  { text: '付总让财务付款了', persons: [['付', '总']], intent: 'high' },
  { text: '单经理说单价还能谈', persons: [['单', '经理']] },
  { text: '解主任和查老师都在', persons: [['解', '主任'], ['查', '老师']] },
  { text: '晚上八点前跟白经理确认', persons: [['白', '经理']], dates: [[d('03-10', '20:00'), null, 'hour']], urgency: 'high' },
  { text: '我姓黄,叫我黄先生就行', persons: [['黄', '先生']] },
  { text: '小刘和老陈下午到', persons: [['刘', '小'], ['陈', '老']], dates: [[d('03-10'), null, 'day']] },
  { text: '联系人：刘洋 13800138000', persons: [['刘洋', null]], phones: ['13800138000'] },
  { text: '冯院长办公室电话 0531-88886666', persons: [['冯', '院长']], phones: ['0531-88886666'] },
  { text: '江苏恒瑞医药股份有限公司来询价', orgs: ['江苏恒瑞医药股份有限公司'], intent: 'high' },
  { text: '杭州市西湖区教育局下发了通知', orgs: ['杭州市西湖区教育局'] },
  { text: '上海市第一妇婴保健院的采购', orgs: ['上海市第一妇婴保健院'] },
  { text: '厦门大学附属第一医院和厦门市中医院都要', orgs: ['厦门大学附属第一医院', '厦门市中医院'] },
  { text: '不用急,月底前给我就行', dates: [[d('03-31'), null, 'day']], urgency: 'low', intent: 'low' },
  { text: '不急,明天给也行', dates: [[d('03-11'), null, 'day']], urgency: 'high' },
  { text: '今天就要!!', urgency: 'high' },
  { text: '火速处理一下', urgency: 'high' },
  { text: '越快越好', urgency: 'high' },
  { text: '不赶时间', urgency: 'low' },
  { text: '样机能借用一周吗', intent: 'high' },
  { text: '只是随便问问,不买', intent: 'low' },
  { text: '价格方面能优惠吗', intent: 'medium' },
  { text: '招标公告下周发布', intent: 'high', dates: [[d('03-16'), null, 'week']], urgency: 'medium' },
  { text: '每人每期学费3980元', budget: [3980, 3980, 'CNY'] },
  { text: '数量200套,交期30天', budget: null, phones: [] },
  { text: '客户去年买了500万的设备', budget: [5000000, 5000000, 'CNY'] },
  { text: '3楼302室', budget: null, phones: [], dates: [] },
  { text: '温度控制在25度以内', budget: null },
  { text: '误差控制在0.5%以内', budget: null },
  { text: '制氧机功率800W,噪音低', budget: null, products: ['sku-oxygen'] },
  { text: '座机：(0755)8888-6666', phones: ['0755-88886666'] },
  { text: '电话 021-64578888 转 206', phones: ['021-64578888'] },
  { text: '400-6789-123', phones: ['4006789123'] },
  { text: '收款账号 6222021234567890123', phones: [] },
  { text: '订单 202603100001 的物流单号是 YT1380013800012', phones: [] },
  { text: '20日前交', dates: [[d('03-20'), null, 'day']] },
  { text: '这周六上午', dates: [[d('03-14'), null, 'day']], urgency: 'medium' },
  { text: '元旦前', dates: [['2027-01-01T00:00:00+08:00', null, 'day']] },
  { text: '月底或下月初', dates: [[d('03-31'), null, 'day'], [d('04-01'), null, 'day']] },
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
