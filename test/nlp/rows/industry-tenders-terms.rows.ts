/* Held-out-style messages, round 6: full rows (every field asserted, the empty ones included, as
 * in round 5 and the dev set). The domains round 5 left aside: manufacturing and industrial B2B
 * (mould shops, machining, leak testers, lead times, sample parts, factory audits, invoices),
 * education and training (parents' questions, trial lessons, class types, fees), hospital
 * procurement (tender-notice excerpts with project numbers, budget amounts and bid-opening times,
 * CSSD renovation, department heads, the equipment department), price negotiation and payment
 * terms (deposits, balances, tax-inclusive prices, credit terms, discounts), messages naming two or
 * three people and two organizations, numbers that are neither phones nor budgets (project, model,
 * batch, tax, ID-card, order and room numbers, percentages, years), times with 左右/之间/以后/起,
 * and weekdays and dates across a month or year end (rows with their own ref).
 * Answers were decided from shared/specs/extraction.md and docs/extraction-conventions.md
 * BEFORE the engine was run on them. Default reference moment: Tuesday 2026-03-10 10:00 Shanghai
 * (ref + 48 h = Thursday 03-12 10:00, ref + 14 days = Tuesday 03-24 10:00); catalog: the demo
 * catalog. */
import { at, d, day, fullRow, type DateRow, type Row } from '../rows.js';

const row = fullRow;
const year = (y: string): DateRow => [d('01-01', '00:00', y), null, 'year'];
const cny = (min: number | null, max: number | null): [number | null, number | null, string] => [min, max, 'CNY'];

/** Monday 2026-03-30 10:00 (month end: ref + 48 h = 04-01 10:00, + 14 days = 04-13 10:00). */
const MON_0330 = '2026-03-30T10:00:00+08:00';
/** Friday 2026-02-27 10:00 (February ends on Saturday the 28th). */
const FRI_0227 = '2026-02-27T10:00:00+08:00';
/** Wednesday 2026-04-29 15:00 (ref + 48 h = 05-01 15:00). */
const WED_0429 = '2026-04-29T15:00:00+08:00';
/** Wednesday 2026-12-30 10:00 (year end: next Monday is 2027-01-04). */
const WED_1230 = '2026-12-30T10:00:00+08:00';

export const ROWS: Row[] = [
  // Manufacturing and industrial B2B.
  row('宁波精工模具厂的黄工想要气密性检漏仪的设备参数，下周一前发过去', 'medium', 'high', {
    persons: [['黄', '工']], orgs: ['宁波精工模具厂'], products: ['sku-leak'], dates: [day('03-16')] }),
  row('检漏仪的交期多久？我们这边急着要', 'high', 'medium', { products: ['sku-leak'] }),
  row('样件已经寄出，顺丰单号SF1311223344556，请查收', 'low', 'low'),
  row('客户要来验厂，时间定在3月18日上午9点', 'medium', 'low', { dates: [at('03-18', '09:00')] }),
  row('机加工的报价单麻烦开票的时候一起发，含税13%', 'medium', 'high'),
  row('型号XJ-2000的检漏仪，测试压力0.6MPa，精度要到1Pa', 'low', 'medium', { products: ['sku-leak'] }),
  row('我们是昆山市精密模具厂，想订购两台气密性检测仪', 'medium', 'high', {
    orgs: ['昆山市精密模具厂'], products: ['sku-leak'] }),
  row('模具开发费8万，样件费另算', 'low', 'low', { budget: cny(80000, 80000) }),
  row('机加工件一共300件，交期20天，月底前能交货吗', 'low', 'low', { dates: [day('03-31')] }),
  row('张厂长说设备参数确认后就签合同', 'medium', 'high', { persons: [['张', '厂长']] }),
  row('苏州恒力机械有限公司的刘经理，电话0512-65432100', 'low', 'low', {
    orgs: ['苏州恒力机械有限公司'], persons: [['刘', '经理']], phones: ['0512-65432100'] }),
  row('批号20260301的产品气密性不合格，要返工', 'low', 'low'),
  row('设备科王科长说检漏仪今天下午3点到厂里调试', 'high', 'medium', {
    persons: [['王', '科长']], products: ['sku-leak'], dates: [at('03-10', '15:00')] }),
  row('订单号PO20260310008，共计12台，尾款发货前付款', 'medium', 'high'),
  row('定金30%，尾款70%，账期30天', 'medium', 'high'),
  row('税号91330206MA2H8K1234，开票信息发你邮箱了', 'low', 'low'),
  row('东莞华宇电子厂的李总和陈工下周三过来看样机', 'medium', 'high', {
    orgs: ['东莞华宇电子厂'], persons: [['李', '总'], ['陈', '工']], dates: [day('03-18')] }),
  row('供应商说交期最快下周五', 'medium', 'low', { dates: [day('03-20')] }),
  row('设备尺寸1200×800×1500mm，重量350kg', 'low', 'low'),
  row('我们是2025年的老客户了，这次想再订三台检漏仪', 'low', 'medium', {
    dates: [year('2025')], products: ['sku-leak'] }),
  row('检漏仪的样机什么时候能到？客户急着用', 'high', 'high', { products: ['sku-leak'] }),
  row('麻烦把气密性检测仪的说明书发我一份', 'low', 'medium', { products: ['sku-leak'] }),
  row('车间主任说机加工这块暂时不需要', 'low', 'low'),
  row('赵工，XJ-2000的图纸明天能发吗', 'high', 'low', { persons: [['赵', '工']], dates: [day('03-11')] }),
  row('微信：zhang_gong2026，加我发图纸', 'low', 'low', { wechatIds: ['zhang_gong2026'] }),
  row('邮箱sales@hengli-mold.com，报价单发这里', 'medium', 'high', { emails: ['sales@hengli-mold.com'] }),
  row('我们厂有200多名工人，年产值1个亿', 'low', 'low'),
  row('下周三下午2点到4点之间来厂里验厂', 'medium', 'low', { dates: [[d('03-18', '14:00'), d('03-18', '16:00'), 'hour']] }),
  row('深圳市迈科精密机械有限公司和东莞市华兴模具厂都要报价', 'medium', 'high', {
    orgs: ['深圳市迈科精密机械有限公司', '东莞市华兴模具厂'] }),
  row('3月16日起开始供货', 'medium', 'low', { dates: [day('03-16')] }),
  row('冲压车间的设备编号是CY-0086-2，下午停机检修', 'high', 'low', { dates: [day('03-10')] }),
  row('质检报告显示合格率98.6%，不良品已经挑出来了', 'low', 'low'),
  row('钱工说夹具的精度不够，要换一套', 'low', 'low', { persons: [['钱', '工']] }),

  // Education and training.
  row('家长咨询：孩子9岁，想报Python编程课，周六上午能试听吗', 'medium', 'high', {
    products: ['sku-py'], dates: [day('03-14')] }),
  row('试听课安排在本周六下午2点，地址是学院路88号3楼', 'medium', 'high', { dates: [at('03-14', '14:00')] }),
  row('Python课一期多少课时？学费多少钱', 'low', 'medium', { products: ['sku-py'] }),
  row('小班课6人一班，一共48课时，学费6800元', 'low', 'low', { budget: cny(6800, 6800) }),
  row('王老师说周四晚上7点有一节试听课', 'medium', 'high', { persons: [['王', '老师']], dates: [at('03-12', '19:00')] }),
  row('孩子妈妈说暑假再说吧，现在不考虑', 'low', 'low'),
  row('一对一和小班的价格差多少', 'low', 'medium'),
  row('杭州市西湖区实验小学想给学生开Python课程，预算5万左右', 'medium', 'high', {
    orgs: ['杭州市西湖区实验小学'], products: ['sku-py'], budget: cny(50000, 50000) }),
  row('课时费每节150元，一次交20节', 'low', 'low', { budget: cny(150, 150) }),
  row('张女士想让孩子下个月1号开始上课', 'low', 'low', { persons: [['张', '女士']], dates: [day('04-01')] }),
  row('刘校长和孙主任周五下午3点来学校看演示', 'medium', 'high', {
    persons: [['刘', '校长'], ['孙', '主任']], dates: [at('03-13', '15:00')] }),
  row('学费能不能分期？一次性付能优惠多少', 'low', 'medium'),
  row('新东方培训学校的陈老师想了解Python编程课的班型', 'low', 'medium', {
    orgs: ['新东方培训学校'], persons: [['陈', '老师']], products: ['sku-py'] }),
  row('寒假班已经满了，春季班3月21日开课', 'medium', 'low', { dates: [day('03-21')] }),
  row('孩子上三年级，周末有空', 'medium', 'low', { dates: [day('03-14')] }),
  row('试听后再决定报不报，不着急', 'low', 'high'),
  row('孩子爸爸说Python课太贵了，再说吧', 'low', 'low', { products: ['sku-py'] }),
  row('我们学校暂时不打算采购这类设备', 'low', 'low'),
  row('试听完觉得不错，想报名，学费怎么收费', 'medium', 'high'),
  row('周老师和吴老师带的班型不一样，一个是大班一个是小班', 'low', 'low', {
    persons: [['周', '老师'], ['吴', '老师']] }),
  row('周日上午10点的课改到下午3点', 'medium', 'low', { dates: [at('03-15', '10:00'), at('03-15', '15:00')] }),

  // Hospital procurement.
  row('招标公告：项目编号ZJYC-2026-018，预算金额：180万元，开标时间：2026年3月25日上午9:30', 'medium', 'high', {
    budget: cny(1800000, 1800000), dates: [at('03-25', '09:30', 'minute')] }),
  row('项目名称：消毒供应室改造方案，采购方式：公开招标，最高限价：320万元', 'medium', 'high', {
    products: ['sku-disinfect'], budget: cny(null, 3200000) }),
  row('设备科马科长让我们把监护仪的参数发过去', 'medium', 'high', { persons: [['马', '科长']], products: ['sku-monitor'] }),
  row('浙江大学医学院附属第一医院设备科通知，投标截止时间为3月20日下午5点', 'medium', 'high', {
    orgs: ['浙江大学医学院附属第一医院'], dates: [at('03-20', '17:00')] }),
  row('消毒供应室改造的方案，科室主任想下周二下午开会讨论', 'medium', 'medium', {
    products: ['sku-disinfect'], dates: [day('03-17')] }),
  row('温州市中心医院的周主任说预算还没批下来', 'medium', 'high', {
    orgs: ['温州市中心医院'], persons: [['周', '主任']] }),
  row('采购需求：移动DR一台，床旁使用，预算金额98万元', 'medium', 'high', {
    products: ['sku-dr'], budget: cny(980000, 980000) }),
  row('中标公告已经出来了，我们中标了！', 'medium', 'high'),
  row('护士长说病房里的监护仪不够用，想再买五台', 'low', 'medium', { products: ['sku-monitor'] }),
  row('上海市第六人民医院和瑞金医院都在做消毒供应室改造', 'low', 'medium', {
    orgs: ['上海市第六人民医院', '瑞金医院'], products: ['sku-disinfect'] }),
  row('设备科说招标文件下周发布，到时候通知你', 'medium', 'high', { dates: [[d('03-16'), null, 'week']] }),
  row('院长办公会通过了，下个月走采购流程', 'medium', 'high', { dates: [[d('04-01'), null, 'month']] }),
  row('标书里要求监护仪的报警参数符合YY 0668-2008', 'medium', 'high', { products: ['sku-monitor'] }),
  row('院里预算批了，大概80万', 'medium', 'high', { budget: cny(800000, 800000) }),
  row('马上要开标了，标书还没做完', 'high', 'high'),
  row('不用急，下个月再安排演示', 'low', 'high', { dates: [[d('04-01'), null, 'month']] }),
  row('项目编号：HZ-ZB-2026-0042，请于3月16日前提交投标文件', 'medium', 'high', { dates: [day('03-16')] }),
  row('联系人：沈主任，邮箱 shen@jsyy.cn', 'low', 'low', { persons: [['沈', '主任']], emails: ['shen@jsyy.cn'] }),
  row('护士长王丽说移动X光机的演示改到下周五上午', 'medium', 'high', {
    // spec: a title before the name is that person's title (was null, the old business-card convention)
    persons: [['王丽', '护士长']], products: ['sku-dr'], dates: [day('03-20')] }),
  row('预约了3月12日下午2点到3点之间的试用', 'medium', 'high', {
    dates: [[d('03-12', '14:00'), d('03-12', '15:00'), 'hour']] }),
  row('北京协和医院的李主任介绍了复旦大学附属华山医院的王教授', 'low', 'low', {
    orgs: ['北京协和医院', '复旦大学附属华山医院'], persons: [['李', '主任'], ['王', '教授']] }),
  row('何院长、罗主任和设备科谢科长参加了论证会', 'low', 'low', {
    persons: [['何', '院长'], ['罗', '主任'], ['谢', '科长']] }),
  row('心电监护仪20台，每台预算不超过3万', 'medium', 'high', { products: ['sku-monitor'], budget: cny(null, 30000) }),

  // Price negotiation and payment terms.
  row('血压计单价280元含税，50台起订', 'low', 'medium', { products: ['sku-bp'], budget: cny(280, 280) }),
  row('总价能不能再优惠一点？打个九五折吧', 'low', 'medium'),
  row('含税价12.8万，先付30%定金，余款验收后付清', 'medium', 'high', { budget: cny(128000, 128000) }),
  row('账期能不能做到90天？我们医院一般都是货到半年付款', 'medium', 'high'),
  row('报价太高了，最多给到3万5', 'medium', 'high', { budget: cny(null, 35000) }),
  row('制氧机3台，每台4200元，合计12600元', 'low', 'medium', { products: ['sku-oxygen'], budget: cny(4200, 4200) }),
  row('如果月底前付款，可以给你打九折', 'medium', 'high', { dates: [day('03-31')] }),
  row('不含税价格是多少？我们需要开专票', 'low', 'medium'),
  row('轮椅能便宜点吗，一台1980太贵了', 'low', 'medium', { products: ['sku-wheel'] }),
  row('定金已经打过去了，麻烦查收', 'medium', 'high'),
  row('尾款下周五之前打款', 'medium', 'high', { dates: [day('03-20')] }),
  row('优惠力度再大一点，我们就签约', 'medium', 'high'),
  row('折扣最低只能到八五折，这是底价', 'low', 'medium'),
  row('预算在15万到20万之间，含安装', 'medium', 'high', { budget: cny(150000, 200000) }),
  row('3万以内能买到什么配置的监护仪', 'low', 'medium', { products: ['sku-monitor'], budget: cny(null, 30000) }),
  row('价格可以谈，付款方式是月结60天', 'medium', 'high'),
  row('血糖仪和血压计各要10台，能给个折扣吗', 'low', 'medium', { products: ['sku-bgm', 'sku-bp'] }),
  row('助行器单价能降到500元吗？量大从优', 'low', 'medium', { products: ['sku-walker'], budget: cny(500, 500) }),
  row('预算至少要20万，低于这个数做不了', 'medium', 'high', { budget: cny(200000, null) }),
  row('首付50%，剩下的分三个月付款', 'medium', 'high'),

  // Two or three people, two organizations.
  row('杭州恩泽医疗器械有限公司的吴总和上海联影的张经理明天上午10点碰个头', 'high', 'low', {
    orgs: ['杭州恩泽医疗器械有限公司'], persons: [['吴', '总'], ['张', '经理']], dates: [at('03-11', '10:00')] }),
  row('赵主任、钱科长和孙工下周四去苏州参观', 'medium', 'low', {
    persons: [['赵', '主任'], ['钱', '科长'], ['孙', '工']], dates: [day('03-19')] }),
  row('我是宁波大学的陈老师，和浙江工业大学的郑教授一起申请的项目', 'low', 'low', {
    orgs: ['宁波大学', '浙江工业大学'], persons: [['陈', '老师'], ['郑', '教授']] }),
  row('刘经理让我转告黄总，合同明天寄出', 'high', 'high', {
    persons: [['刘', '经理'], ['黄', '总']], dates: [day('03-11')] }),
  row('林总说让他们公司的财务许会计对接付款', 'medium', 'high', { persons: [['林', '总'], ['许', '会计']] }),
  row('王伟和李娜明天下午两点到南京鼓楼医院', 'high', 'low', {
    persons: [['王伟', null], ['李娜', null]], orgs: ['南京鼓楼医院'], dates: [at('03-11', '14:00')] }),
  row('周经理和吴主管都在群里，你直接@他们', 'low', 'low', { persons: [['周', '经理'], ['吴', '主管']] }),
  row('广州医科大学附属第二医院的冯主任和中山大学的韩教授周四上午见面', 'high', 'low', {
    orgs: ['广州医科大学附属第二医院', '中山大学'], persons: [['冯', '主任'], ['韩', '教授']], dates: [day('03-12')] }),
  row('宁波海天塑机集团的蒋总让唐经理来谈合作', 'low', 'low', {
    orgs: ['宁波海天塑机集团'], persons: [['蒋', '总'], ['唐', '经理']] }),

  // Numbers that are neither phones nor budgets.
  row('订单号：20260309123456，共8台血压计', 'low', 'medium', { products: ['sku-bp'] }),
  row('身份证后四位是0315，用来登记访客', 'low', 'low'),
  row('会议在行政楼5楼502会议室', 'low', 'low'),
  row('合格率提升了3.5%，不良率降到0.8%', 'low', 'low'),
  row('批号B2026031，生产日期见标签', 'low', 'low'),
  row('型号XJ-2000和XJ-3000的区别是什么', 'low', 'low'),
  row('2024年的那批设备该保养了', 'low', 'low', { dates: [year('2024')] }),
  row('工号1032的同事负责这单', 'low', 'low'),
  row('设备序列号SN20251201088，需要返厂检测', 'low', 'low'),
  row('房间号1806，到了打我电话', 'low', 'low'),
  row('一共3个标段，第2标段是监护仪', 'low', 'medium', { products: ['sku-monitor'] }),
  row('快递单号YT8812345678901，预计后天到', 'high', 'low', { dates: [day('03-12')] }),
  row('联系电话：0571-88206666，分机8012', 'low', 'low', { phones: ['0571-88206666'] }),
  row('3楼东侧的消毒供应室需要重新布局', 'low', 'low'),
  row('订单金额的20%作为质保金', 'low', 'low'),
  row('发票号码04512367，请核对', 'low', 'low'),
  row('住院部12楼1203病房的监护仪坏了', 'low', 'medium', { products: ['sku-monitor'] }),

  // Times with 左右/之间/以后/起.
  row('明天下午3点左右到', 'high', 'low', { dates: [at('03-11', '15:00')] }),
  row('周四上午10点到11点之间都可以', 'high', 'low', { dates: [[d('03-12', '10:00'), d('03-12', '11:00'), 'hour']] }),
  row('下午5点以后打我电话', 'high', 'low', { dates: [at('03-10', '17:00')] }),
  row('4月1日以后再联系', 'low', 'low', { dates: [day('04-01')] }),
  row('周五下午3点半左右给你回电话', 'medium', 'low', { dates: [at('03-13', '15:30', 'minute')] }),
  row('下个月5号以后可以安排发货', 'low', 'low', { dates: [day('04-05')] }),
  row('15号到18号之间送货', 'medium', 'low', { dates: [[d('03-15'), d('03-18'), 'day']] }),
  row('前天发的货，今天还没到', 'high', 'low', { dates: [day('03-08'), day('03-10')] }),

  // Month and year ends (rows with their own ref).
  row('下周三上午10点来公司面谈', 'medium', 'low', { ref: MON_0330, dates: [at('04-08', '10:00')] }),
  row('周五之前把报价发我', 'medium', 'high', { ref: MON_0330, dates: [day('04-03')] }),
  row('月底前把尾款打款过来', 'high', 'high', { ref: MON_0330, dates: [day('03-31')] }),
  row('下个月3号签合同', 'medium', 'high', { ref: MON_0330, dates: [day('04-03')] }),
  row('4月2日到4月5日之间送样品', 'medium', 'high', { ref: MON_0330, dates: [[d('04-02'), d('04-05'), 'day']] }),
  row('后天上午9点开标，投标文件今天送到', 'high', 'high', { ref: MON_0330, dates: [at('04-01', '09:00'), day('03-30')] }),
  row('下周二下午3点试听', 'medium', 'high', { ref: FRI_0227, dates: [at('03-03', '15:00')] }),
  row('月底前交定金', 'high', 'high', { ref: FRI_0227, dates: [day('02-28')] }),
  row('3号上午10点验厂', 'medium', 'low', { ref: FRI_0227, dates: [at('03-03', '10:00')] }),
  row('周一上午见', 'medium', 'low', { ref: FRI_0227, dates: [day('03-02')] }),
  row('下周一上午10点到厂里', 'medium', 'low', { ref: WED_0429, dates: [at('05-04', '10:00')] }),
  row('月底前把合同寄过来', 'high', 'high', { ref: WED_0429, dates: [day('04-30')] }),
  row('下个月10号投标截止', 'medium', 'high', { ref: WED_0429, dates: [day('05-10')] }),
  row('1月5日上午9点开会', 'medium', 'low', { ref: WED_1230, dates: [at('01-05', '09:00', 'hour', '2027')] }),
  row('下周一报价', 'medium', 'high', { ref: WED_1230, dates: [day('01-04', '2027')] }),
  row('年底前要把预算用完', 'high', 'high', { ref: WED_1230, dates: [day('12-31')] }),

  // Mixed: tender contacts, IDs next to phones, several people, rough times.
  row('招标编号：SZYY2026-ZB015，采购预算：人民币260万元，联系人：韦工，电话：0755-83921234', 'medium', 'high', {
    budget: cny(2600000, 2600000), persons: [['韦', '工']], phones: ['0755-83921234'] }),
  row('身份证号码后6位是123456，手机号13957112345', 'low', 'low', { phones: ['13957112345'] }),
  row('家长：孩子二年级，想报周末的Python编程课，一节课多少钱？', 'medium', 'medium', {
    products: ['sku-py'], dates: [day('03-14')] }),
  row('设备科的潘科长和信息科的戴主任明天下午3点到会议室', 'high', 'low', {
    persons: [['潘', '科长'], ['戴', '主任']], dates: [at('03-11', '15:00')] }),
  row('3月31日下午2点到4点之间都可以来面试', 'low', 'low', { dates: [[d('03-31', '14:00'), d('03-31', '16:00'), 'hour']] }),
  row('张主任、李护士长和设备科的赵工一起参加了演示', 'medium', 'high', {
    persons: [['张', '主任'], ['李', '护士长'], ['赵', '工']] }),
  row('浙江省人民医院和杭州师范大学附属医院的两位主任下周五过来', 'medium', 'low', {
    orgs: ['浙江省人民医院', '杭州师范大学附属医院'], dates: [day('03-20')] }),
  row('折后价每套9800元，比原价便宜了15%', 'low', 'medium', { budget: cny(9800, 9800) }),
  row('下周一到周三之间安排验厂', 'medium', 'low', { dates: [[d('03-16'), d('03-18'), 'day']] }),
  row('这周五下午3点左右发货', 'medium', 'low', { ref: MON_0330, dates: [at('04-03', '15:00')] }),
  row('3月1日起执行新价格', 'high', 'medium', { ref: FRI_0227, dates: [day('03-01')] }),
  row('明年1月10日之前把合同签了', 'medium', 'high', { ref: WED_1230, dates: [day('01-10', '2027')] }),
  row('欧阳经理和司马主任都同意了报价', 'medium', 'high', { persons: [['欧阳', '经理'], ['司马', '主任']] }),
];

