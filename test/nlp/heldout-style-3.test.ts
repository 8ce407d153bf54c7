/* Held-out-style messages, round 3: the shapes a rep forwards a hundred times a day.
 * Label/value forms (姓名：/电话：/单位：/预算：/时间： …) with full-width and half-width
 * colons, spaces, newlines, `；`/`，`/`|` separators and bracket labels; emoji between
 * fields; a name written with a space (王 总); phones as 138 1234 5678, 138-1234-5678,
 * (+86)…; everyday dates and budget ranges. Answers were decided from the spec BEFORE the
 * engine was run on them, and only the fields the spec decides are asserted. Reference
 * moment: Tuesday 2026-03-10 10:00 Shanghai; catalog: the demo catalog. */
import { d, heldOutSuite, type Row } from './heldout.js';

const ROWS: Row[] = [
  // Label/value forms, one field per line.
  { text: '姓名：张伟\n电话：13812345678\n单位：上海市第一人民医院\n需求：监护仪\n预算：20万',
    persons: [['张伟', null]], phones: ['13812345678'], orgs: ['上海市第一人民医院'], products: ['sku-monitor'],
    budget: [200000, 200000, 'CNY'], intent: 'high' },
  { text: '姓名:王芳 电话:139 1234 5678 医院:北京协和医院', persons: [['王芳', null]], phones: ['13912345678'], orgs: ['北京协和医院'] },
  { text: '联系人：李主任，手机：138-1234-5678，邮箱：li@abc.com', persons: [['李', '主任']], phones: ['13812345678'], emails: ['li@abc.com'] },
  { text: '客户：王 总，电话：13812345678', persons: [['王', '总']], phones: ['13812345678'] },
  { text: '李 主任 13912345678', persons: [['李', '主任']], phones: ['13912345678'] },
  { text: '王 总\n13812345678', persons: [['王', '总']], phones: ['13812345678'] },
  { text: '电话：(+86)13812345678', phones: ['13812345678'] },
  { text: '手机：+86 138 1234 5678', phones: ['13812345678'] },
  { text: '手机：+86-138-1234-5678', phones: ['13812345678'] },
  { text: '电话：0086 13812345678', phones: ['13812345678'] },
  { text: '手机号：138 1234 5678', phones: ['13812345678'] },
  { text: 'Tel：13812345678', phones: ['13812345678'] },
  { text: '电话：021 6457 8888', phones: ['021-64578888'] },
  { text: '座机：010-8765 4321', phones: ['010-87654321'] },
  { text: '电话 400-820-8820', phones: ['4008208820'] },
  { text: '电话：13812345678 13912345678', phones: ['13812345678', '13912345678'] },
  { text: '联系方式：13812345678（微信同号）', phones: ['13812345678'] },
  { text: '邮箱：zhangwei@163.com', emails: ['zhangwei@163.com'] },
  { text: '微信：zhangwei_88', wechatIds: ['zhangwei_88'] },
  { text: '微信号: wangfang1990', wechatIds: ['wangfang1990'] },
  { text: '微信：13812345678', wechatIds: ['13812345678'], phones: ['13812345678'] },

  // Budgets in label forms.
  { text: '预算：10-15万', budget: [100000, 150000, 'CNY'], intent: 'high' },
  { text: '预算10~15w', budget: [100000, 150000, 'CNY'] },
  { text: '预算：15万以内', budget: [null, 150000, 'CNY'] },
  { text: '预算 15万以内', budget: [null, 150000, 'CNY'] },
  { text: '预算：10万-15万元', budget: [100000, 150000, 'CNY'] },
  { text: '预算：约20万', budget: [200000, 200000, 'CNY'] },
  { text: '预算:20万左右', budget: [200000, 200000, 'CNY'] },
  { text: '预算：二十万', budget: [200000, 200000, 'CNY'] },
  { text: '预算：¥200,000', budget: [200000, 200000, 'CNY'] },
  { text: '预算：20W', budget: [200000, 200000, 'CNY'] },
  { text: '预算：5000元', budget: [5000, 5000, 'CNY'] },
  { text: '预算：8千', budget: [8000, 8000, 'CNY'] },
  { text: '预算：50万以上', budget: [500000, null, 'CNY'] },
  { text: '预算 20万-30万', budget: [200000, 300000, 'CNY'] },
  { text: '报价：12800元/台', budget: [12800, 12800, 'CNY'], intent: 'high' },
  { text: '需求：制氧机2台，预算1万以内', products: ['sku-oxygen'], budget: [null, 10000, 'CNY'], intent: 'high' },
  { text: '需求：监护仪5台，10~15万', products: ['sku-monitor'], budget: [100000, 150000, 'CNY'] },
  { text: '产品：血糖仪 数量：10台 预算：3万', products: ['sku-bgm'], budget: [30000, 30000, 'CNY'], intent: 'high' },

  // Dates in label forms.
  { text: '时间：3月15号', dates: [[d('03-15'), null, 'day']], urgency: 'medium' },
  { text: '时间：周五下午', dates: [[d('03-13'), null, 'day']], urgency: 'medium' },
  { text: '时间：周五下午3点', dates: [[d('03-13', '15:00'), null, 'hour']], urgency: 'medium' },
  { text: '时间：明天上午10点', dates: [[d('03-11', '10:00'), null, 'hour']], urgency: 'high' },
  { text: '时间：3月15日下午2点', dates: [[d('03-15', '14:00'), null, 'hour']], urgency: 'medium' },
  { text: '时间：3/15 下午2点', dates: [[d('03-15', '14:00'), null, 'hour']], urgency: 'medium' },
  { text: '预约时间：明天下午', dates: [[d('03-11'), null, 'day']], urgency: 'high' },
  { text: '时间：下周一上午9点', dates: [[d('03-16', '09:00'), null, 'hour']], urgency: 'medium' },
  { text: '时间：周五 地点：会议室', dates: [[d('03-13'), null, 'day']] },
  { text: '3月15号上午10点见', dates: [[d('03-15', '10:00'), null, 'hour']] },
  { text: '下周五下午3点', dates: [[d('03-20', '15:00'), null, 'hour']] },
  { text: '预算10-15万，月底前要', budget: [100000, 150000, 'CNY'], dates: [[d('03-31'), null, 'day']], urgency: 'medium' },
  { text: '地址：上海市徐汇区宜山路18号', dates: [], phones: [], persons: [] },
  { text: '地址：杭州市西湖区文三路478号华星大厦', dates: [], phones: [] },

  // Organizations and persons behind labels; other separators.
  { text: '单位：杭州市第一人民医院；联系人：陈主任；电话：0571-87654321',
    orgs: ['杭州市第一人民医院'], persons: [['陈', '主任']], phones: ['0571-87654321'] },
  { text: '医院：浙江省人民医院 科室：心内科 联系人：王主任', orgs: ['浙江省人民医院'], persons: [['王', '主任']] },
  { text: '公司：苏州精密模具有限公司', orgs: ['苏州精密模具有限公司'] },
  { text: '单位：复旦大学附属华山医院', orgs: ['复旦大学附属华山医院'] },
  { text: '姓名：欧阳明 手机：13512345678', persons: [['欧阳明', null]], phones: ['13512345678'] },
  { text: '客户姓名：孙强 联系方式：15912345678', persons: [['孙强', null]], phones: ['15912345678'] },
  { text: '王总：13812345678', persons: [['王', '总']], phones: ['13812345678'] },
  { text: '李主任:13912345678,张护士长:13812345678', persons: [['李', '主任'], ['张', '护士长']], phones: ['13912345678', '13812345678'] },
  { text: '刘经理 13612345678 liu@qq.com 预算10万', persons: [['刘', '经理']], phones: ['13612345678'], emails: ['liu@qq.com'], budget: [100000, 100000, 'CNY'] },
  { text: '张伟；13812345678；上海市第六人民医院', persons: [['张伟', null]], phones: ['13812345678'], orgs: ['上海市第六人民医院'] },
  { text: '姓名：赵丽｜电话：13812345678｜预算：20万', persons: [['赵丽', null]], phones: ['13812345678'], budget: [200000, 200000, 'CNY'] },
  { text: '张医生 138 0013 8000', persons: [['张', '医生']], phones: ['13800138000'] },
  { text: '负责人：李科长 电话：13700001111', persons: [['李', '科长']], phones: ['13700001111'] },

  // WeChat-style forwarded notes: bracket labels, emoji, line breaks.
  { text: '【客户】张经理\n【电话】13812345678\n【需求】轮椅10台\n【预算】5万左右',
    persons: [['张', '经理']], phones: ['13812345678'], products: ['sku-wheel'], budget: [50000, 50000, 'CNY'], intent: 'high' },
  { text: '👤王总 📞13812345678', persons: [['王', '总']], phones: ['13812345678'] },
  { text: '王总📱13812345678', persons: [['王', '总']], phones: ['13812345678'] },
  { text: '✅预算：30万 ✅时间：下周三', budget: [300000, 300000, 'CNY'], dates: [[d('03-18'), null, 'day']], urgency: 'medium', intent: 'high' },
  { text: '客户信息👇\n姓名：周敏\n手机：18612345678\n需求：血压计20台',
    persons: [['周敏', null]], phones: ['18612345678'], products: ['sku-bp'] },
  // Second batch, written after the first passed: more everyday label, phone and date shapes.
  { text: '预算：10万～15万', budget: [100000, 150000, 'CNY'] },
  { text: '预算：10到15万', budget: [100000, 150000, 'CNY'] },
  { text: '预算：15w以内', budget: [null, 150000, 'CNY'] },
  { text: '预算：不超过15万', budget: [null, 150000, 'CNY'] },
  { text: '医院名称：宁波市第二医院', orgs: ['宁波市第二医院'] },
  { text: '时间：3月15号下午3点半', dates: [[d('03-15', '15:30'), null, 'minute']] },
  { text: '时间：本周五上午', dates: [[d('03-13'), null, 'day']], urgency: 'medium' },
  { text: '联系人：张先生 13812345678', persons: [['张', '先生']], phones: ['13812345678'] },
  { text: '张经理（13812345678）', persons: [['张', '经理']], phones: ['13812345678'] },
  { text: '王总 138 1234 5678', persons: [['王', '总']], phones: ['13812345678'] },
  { text: '3月15号（周日）下午2点', dates: [[d('03-15', '14:00'), null, 'hour']], urgency: 'medium' },
  { text: '电话：138****5678', phones: [] },
  { text: '电话:+8613812345678', phones: ['13812345678'] },
  { text: '手机：13812345678 / 13912345678', phones: ['13812345678', '13912345678'] },
  { text: '电话：13812345678（王总）', persons: [['王', '总']], phones: ['13812345678'] },
];

heldOutSuite('held-out-style messages, round 3', ROWS);
