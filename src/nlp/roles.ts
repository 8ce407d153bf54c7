/* Who each person is in the message (spec: Persons, role and contact). A table of cues, each
 * read against the text around a person: what stands before it, what follows it. The first cue
 * that holds decides; a person no cue claims is `other`. */
import type { Person, Role } from './types.js';
import { surnameLength } from './persons.lexicon.js';
import { execAll } from './scan.js';

export type Placed = Omit<Person, 'role'> & { index: number; end: number };

/** Clause punctuation: a self-introduction cue reaches the first person of its own clause only. */
const CLAUSE_END = /[，,。.！!？?；;\n]/;

interface Cue {
  role: Role;
  /** Tested against the text before the person (within its line for `before`). */
  before: RegExp;
  /** Tested against the text after the person. */
  after: RegExp;
}

const GREETING = '(?:您好|你好|早上好|上午好|下午好|晚上好|早安|好|早|辛苦了|在吗|在不在|在么)';
const CUES: Cue[] = [
  // A signature closing the message: ——李强, 李强 敬上, 张敏（采购部）as the last line.
  { role: 'self', before: /(?:^|\n|——|--|—|~)\s*(?:[\u4e00-\u9fff]{1,4}[部科处办室组]\s+)?$/, after: /^\s*(?:敬上|谨上|拜上|敬启|[（(][^（()）\n]{1,12}[）)])?\s*[。.!！~]?\s*$/ },
  // Greeted or called at the start: 王经理您好, 王总：, 尊敬的李主任, 你好王老师, @黄老师.
  { role: 'addressee', before: /^\s*(?:尊敬的|亲爱的|hi|hello|嗨)?\s*$/, after: new RegExp(`^\\s*(?:${GREETING}|[：:，,!！、])`) },
  { role: 'addressee', before: /^\s*(?:您好|你好|hi|hello|嗨)[，,!！\s]*(?:尊敬的)?$/, after: /^/ },
  { role: 'addressee', before: /@\s*$/, after: /^/ },
  // Thanked or asked: 谢谢王总, 谢谢许总！, 感谢金院长的支持, 麻烦李经理了.
  { role: 'addressee', before: /(?:^|[。.！!？?，,\s])(?:谢谢|感谢|多谢|麻烦|辛苦)\s*$/, after: /^/ },
  // Called by a question at the start: 你好，请问是罗经理吗？
  { role: 'addressee', before: /^\s*(?:(?:您好|你好|hi|hello)[，,!！\s]*)?(?:请问)?(?:是|您是|你是)\s*$/, after: /^\s*(?:吗|嘛)/ },
  // A signature after the last sentence of the same line: …再考虑考虑。李明 敬上
  { role: 'self', before: /[。.！!？?~]\s*$/, after: /^\s*(?:敬上|谨上|拜上|敬启)\s*[。.!！~]?\s*$/ },
];

/** The writer names themselves: 我是X, 我叫X, 本人X, 我这边是X, 我姓X (the cue's clause). */
const SELF_INTRO = /(?:我是|我叫|本人是?|我这边是|这边是|我姓|我的名字是|my name is|i am|i'm)/g;

function selfIntroduced(norm: string, persons: Placed[]): Set<Placed> {
  const out = new Set<Placed>();
  for (const m of execAll(SELF_INTRO, norm)) {
    const from = (m.index ?? 0) + m[0].length;
    const p = persons.find((x) => x.index >= from);
    // The first person of the cue's clause, not a third person's (我是张伟的家长: 张伟 is the child).
    if (!p || CLAUSE_END.test(norm.slice(from, p.index)) || /^\s*的/.test(norm.slice(p.end))) continue;
    out.add(p);
  }
  return out;
}

/** 我姓陈 names the writer by surname only (name 陈, title ""); when the message names a person with
 * that surname as well (我姓黄,叫我黄先生就行) that person is the writer, listed once. */
const SURNAME_INTRO = /(?:我|^|[，,。\s])姓([\u4e00-\u9fff]{1,2})/g;

function surnameIntroduced(norm: string, orig: string, placed: Placed[]): { placed: Placed[]; self: Placed[] } {
  const self: Placed[] = [];
  const out = [...placed];
  // 我姓陈, and 姓范 opening a clause of a self-introduction (我是河北医科大学第二医院的，姓范).
  for (const m of execAll(SURNAME_INTRO, norm)) {
    const at = (m.index ?? 0) + m[0].length - m[1].length;
    const sl = surnameLength(norm, at);
    if (sl === 0 || out.some((p) => p.index <= at && at < p.end)) continue;
    const same = out.find((p) => p.index > at && p.name.startsWith(norm.slice(at, at + sl)));
    if (same) { self.push(same); continue; }
    const p: Placed = { name: orig.slice(at, at + sl), title: '', text: orig.slice(at, at + sl), index: at, end: at + sl };
    out.push(p);
    self.push(p);
  }
  out.sort((a, b) => a.index - b.index);
  return { placed: out, self };
}

export function assignRoles(norm: string, orig: string, found: Placed[]): { persons: Person[]; contact: number | null } {
  // Normalization turns line breaks into spaces; a signature is read by lines, so restore them.
  if (orig.includes('\n')) norm = Array.from(norm, (c, i) => (orig[i] === '\n' ? '\n' : c)).join('');
  const { placed, self: bySurname } = surnameIntroduced(norm, orig, found);
  const self = selfIntroduced(norm, placed);
  for (const p of bySurname) self.add(p);
  const persons = placed.map((p): Person => {
    const lineStart = norm.lastIndexOf('\n', p.index - 1) + 1;
    const before = norm.slice(0, p.index);
    const after = norm.slice(p.end);
    let role: Role = self.has(p) ? 'self' : 'other';
    if (role === 'other') {
      const cue = CUES.find((c) => c.before.test(c.role === 'self' ? before.slice(lineStart) : before) && c.after.test(after));
      if (cue) role = cue.role;
    }
    return { name: p.name, title: p.title, text: p.text, role };
  });
  // Persons joined by 、/和/与 share the first one's role (肖主任、姜科长，明天…: both are greeted).
  for (let i = 1; i < persons.length; i++) {
    if (persons[i].role === 'other' && persons[i - 1].role !== 'other' && /^\s*[、和与及]\s*$/.test(norm.slice(placed[i - 1].end, placed[i].index))) {
      persons[i].role = persons[i - 1].role;
    }
  }
  const first = (r: Role): number => persons.findIndex((p) => p.role === r);
  const contact = first('self') >= 0 ? first('self') : first('other');
  return { persons, contact: contact >= 0 ? contact : null };
}
