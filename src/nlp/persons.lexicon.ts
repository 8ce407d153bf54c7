/* Surnames and titles. Single surnames: the common ones of the Hundred Family
 * Surnames plus modern frequency lists; rare surnames that are everyday words on
 * their own (于, 和, 将 …) are still listed because a title or jieba's name tag must
 * confirm them anyway. */

export const SINGLE_SURNAMES = new Set((
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢' +
  '姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康' +
  '施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成' +
  '苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫' +
  '费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈' +
  '匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰' +
  '支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕' +
  '危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由' +
  // Top-100 surnames the list above had missed.
  '傅洪赖萧阎' +
  // Found in held-back messages.
  '贝'
).split(''));

export const COMPOUND_SURNAMES = new Set([
  '欧阳', '司马', '上官', '诸葛', '司徒', '东方', '皇甫', '尉迟', '公孙', '慕容', '长孙', '宇文', '令狐', '夏侯',
  '端木', '西门', '南宫', '独孤', '轩辕', '澹台', '呼延', '万俟', '闻人', '申屠', '太史', '钟离', '宗政', '濮阳',
  '公冶', '赫连', '拓跋', '百里', '东郭', '羊舌', '微生', '梁丘', '左丘', '第五',
]);

/** Titles that may follow a name, longest first so 总经理 beats 经理 beats 总. */
export const TITLES = [
  '总工程师', '护士长', '工程师', '总经理', '总工', '董事长', '副院长', '副主任', '副总', '总监', '经理', '主任', '科长', '处长', '院长',
  '医生', '大夫', '老师', '校长', '主管', '助理', '先生', '女士', '小姐', '老板', '部长', '局长', '厂长', '所长',
  '书记', '教授', '律师', '秘书', '会计', '师傅', '总', '工', '董', '姐', '哥',
].sort((a, b) => b.length - a.length);

/** 老X, 小X: the prefixes of a familiar name, as UTF-16 codes. */
export const FAMILIAR_PREFIXES = new Set(Array.from('老小', (c) => c.charCodeAt(0)));
/** Surnames common enough to trust in 老X / 小X without a jieba name tag. */
export const FAMILIAR_SURNAMES = new Set('王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙陶黎贺顾毛郝龚邵钱严武戴莫孔汤常康'.split(''));

/** A jieba "name" ending in these is a place, a room, a department or an office (高新区, 张家港,
 * 邱园路, 楼三楼, 麻醉科, 卫健委). */
export const PLACE_SUFFIX = new Set('区港市县镇村路街省山湖江河桥园城州庄屯湾岛道巷里坊寺洲楼层室厅馆科委局办部处所'.split(''));

/** Characters after which a name-tagged token is really part of a word. */
export const NOT_NAME_WORDS = new Set([
  '马上', '周末', '方案', '黄金', '王者', '常规', '安全', '于是', '白色', '金额', '江苏', '钱款', '高新', '高新区',
  '张家港', '明天', '时间', '成本', '成功', '任务', '高端', '高效', '管理', '文件', '万元', '和平', '平安', '安装', '小白', '荣耀',
  // Letter closings and everyday verbs that start with a surname character.
  '祝好', '祝安', '祝福', '顺祝', '祝顺利', '祝愉快', '张开', '常往',
  // Everyday words that jieba's dictionary tags as person names (明白/nr, 阳光/nr).
  '明白', '温馨', '阳光', '华丽', '雷达', '汤圆', '白班', '宁可', '梅花', '谷歌', '卓越', '吉祥', '宫殿', '卫星',
  '桂花', '荣幸', '玉米', '安静', '丁香', '杜绝', '耿直', '贺喜', '洪水', '胡说', '孔雀', '雷同', '黎明', '刘海',
  '龙虾', '鲁莽', '马虎', '米粉', '史诗', '苏醒', '唐突', '田野', '汪洋', '辛勤', '熊猫', '许可', '杨柳', '殷勤',
  '钟声', '朱红', '祝贺', '祖先',
]);

/** Length of the surname starting at `at` (2 for a compound surname), or 0. */
export function surnameLength(s: string, at: number): number {
  if (COMPOUND_SURNAMES.has(s.slice(at, at + 2))) return 2;
  return SINGLE_SURNAMES.has(s[at]) ? 1 : 0;
}

/** Compound surnames that are everyday words too (东方 "east", 西门 "west gate", 第五 "fifth"). */
export const COMPOUND_WORDS = new Set(['东方', '西门', '南宫', '百里', '第五', '闻人', '太史', '微生', '公冶', '羊舌', '长孙', '东郭', '梁丘', '左丘']);

export const DEMONSTRATIVES = new Set('那这哪每某各该此本'.split(''));

/** Characters that never occur in a given name but glue function words to a surname
 * character (黄了, 马上说, 高的). */
export const NOT_GIVEN = new Set('了的着过吗呢吧啊呀哦嘛么们是在和与就都也还又很太最说给把被让要会能想去来到上下里个这那不没有一'.split(''));

/** Characters that end everyday two-character words but are (almost) never a one-character
 * given name: noun suffixes and the heads of common nouns and verbs (林子, 贺卡, 顾客, 顾问,
 * 宋体, 康复, 单号, 查收, 毛利, 齐全, 华为, 欧姆), and equipment and logistics characters (包邮, 冷链,
 * 孔径). jieba's dictionary tags many such words as names; its HMM guesses many more. */
export const NOT_GIVEN_LAST = new Set('子卡客问体姆号收件品器具费价款额量率度性型式类种单表码利全为复物邮链径库柜架泵罩线盒箱袋瓶桶屏键钮阀轴胎灯板网站'.split(''));

/** Surnames that are, far more often, function words; an HMM word starting with one
 * (那家, 来谈, 和平) is not taken as a name without jieba's name tag. */
export const FUNCTION_SURNAMES = new Set('那来和于将都向但由时全相初国平计区位原应连以及只把被对给让当与为所之其可已也就又才再更最'.split(''));

/** Kin words after a child's name: 李思涵妈妈 is the parent, no person by the spec. */
export const KIN_AFTER = ['妈妈', '爸爸', '家长', '奶奶', '爷爷', '外婆', '外公', '姥姥', '姥爷', '妈', '爸'];

/** Administrative units end places even when jieba tags them as names (徐汇区/nr). */
export const ADMIN_END = new Set('区市县省镇乡村州'.split(''));
/** A numeral or measure word before an HMM word makes it a noun phrase (三个班开). */
export const AFTER_COUNT = /[0-9零〇一二两三四五六七八九十百千万个台套件只]/;
/** Conjunctions that may follow a person's title: 王总和李工, 张工与我. */
export const CONJUNCTIONS = new Set('和与跟及同'.split(''));


/** Trades after a bare name make it a company's name (成都康达医疗, 华星科技), not a person. */
export const TRADE_AFTER = ['医疗', '科技', '电子', '机械', '医药', '药业', '贸易', '器械', '生物', '信息技术', '网络', '实业',
  '集团', '公司', '制药', '材料', '软件', '传媒', '咨询', '物流', '建设', '工程'];

/** Labels after which a form gives a person's name (姓名：张伟, 联系人：欧阳明), and a mention, whose
 * handle is the whole name when it is a surname and a given name (@刘依依, @段钢; not @所有人). */
export const NAME_LABEL_RE = new RegExp(`(?:(?:姓名|名字|联系人|客户姓名|负责人|对接人)\\s*[:：]\\s*|@(?![${[...FUNCTION_SURNAMES].join('')}]))`
  + '([\\u4e00-\\u9fff]{2,4})(?![\\u4e00-\\u9fff])', 'g');
