import { optionsOf, type QuestionDef, type RuleDef, type StageDef, type StageModel } from './stage.types.js';

// Pure: answers -> stage, and which questions to ask at a stage.

export type AnswerMap = Map<string, string[]>;

export function ruleName(m: StageModel, r: RuleDef): string {
  if (r.name) return r.name;
  return r.when.map((c) => {
    const q = m.questions.find((x) => x.key === c.question);
    const labels = [c.equals].flat().map((v) => (q ? optionsOf(q).find((o) => o.key === v)?.label : undefined) ?? v);
    return `${q?.text.replace(/[？?]$/, '') ?? c.question} = ${labels.join('/')}`;
  }).join(' 且 ');
}

/** The first rule whose conditions all hold, with the stage it leads to. */
export function decide(m: StageModel, answers: AnswerMap): { rule: RuleDef; stage: StageDef } | null {
  for (const r of m.rules) {
    const holds = r.when.every((c) => {
      const given = answers.get(c.question);
      return !!given && [c.equals].flat().some((v) => given.includes(v));
    });
    const stage = m.stages.find((s) => s.key === r.stage);
    if (holds && stage) return { rule: r, stage };
  }
  return null;
}

export function stageOrder(m: StageModel, key: string): number {
  return m.stages.findIndex((s) => s.key === key);
}

/**
 * Questions that matter at a stage: those it names, else those whose rules lead beyond it (and
 * questions without rules, at every open stage). Terminal stages ask nothing.
 */
export function relevantQuestions(m: StageModel, stageKey: string | null): QuestionDef[] {
  const current = stageKey ? m.stages.find((s) => s.key === stageKey) : undefined;
  if (current?.outcome) return [];
  const at = current ? stageOrder(m, current.key) : -1;
  return m.questions.filter((q) => {
    if (q.stages) return current ? q.stages.includes(current.key) : q.stages.includes(m.stages[0]!.key);
    const targets = m.rules.filter((r) => r.when.some((c) => c.question === q.key)).map((r) => stageOrder(m, r.stage));
    return targets.length === 0 || targets.some((o) => o > at);
  });
}

/** Open questions (relevant here, unanswered, prerequisites answered) first, then every answered one. */
export function questionsToShow(m: StageModel, stageKey: string | null, answers: AnswerMap): { question: QuestionDef; open: boolean }[] {
  const open = relevantQuestions(m, stageKey).filter((q) => !answers.has(q.key) && (q.dependsOn ?? []).every((d) => answers.has(d)));
  const answered = m.questions.filter((q) => answers.has(q.key));
  return [...open.map((question) => ({ question, open: true })), ...answered.map((question) => ({ question, open: false }))];
}

const FIELD_LABELS: Record<string, string> = { budget: '预算', decisionMaker: '决策人', decision_maker: '决策人', name: '姓名', company: '单位', title: '职务', region: '地区' };

export function fieldLabel(key: string): string {
  return FIELD_LABELS[key] ?? key;
}

/** Required fields a customer lacks for a stage: a column, a custom field, or an answered question of that key. */
export function missingFields(stage: StageDef, customer: Record<string, unknown>, custom: Record<string, unknown>, answers: AnswerMap): string[] {
  const filled = (v: unknown) => v !== undefined && v !== null && String(v).trim() !== '';
  return (stage.requires ?? []).filter((f) => !filled(customer[f]) && !filled(custom[f]) && !answers.has(f));
}
