import { describe, expect, it } from '@jest/globals';
import { validateStageModel } from '../../../src/crm/stages/model.validate.js';
import { DEFAULT_STAGE_MODEL } from '../../../src/crm/stages/default-model.js';
import { decide, questionsToShow, ruleName, missingFields } from '../../../src/crm/stages/stage.rules.js';
import type { AppError } from '../../../src/lib/errors.js';

const clone = () => JSON.parse(JSON.stringify(DEFAULT_STAGE_MODEL));
const codeOf = (input: unknown): string | null => {
  try {
    validateStageModel(input);
    return null;
  } catch (e) {
    return (e as AppError).code;
  }
};

describe('stage model validation', () => {
  it('accepts the default model', () => {
    expect(codeOf(DEFAULT_STAGE_MODEL)).toBeNull();
  });

  it.each([
    ['an empty stage list', (m: any) => { m.stages = []; m.rules = []; m.questions = []; }, 'stage_model_empty'],
    ['only won and lost', (m: any) => { m.stages = m.stages.filter((s: any) => s.outcome); m.rules = []; m.questions = []; }, 'stage_model_empty'],
    ['a rule naming an unknown question', (m: any) => { m.rules[0].when[0].question = 'nope'; }, 'stage_model_unknown_question'],
    ['a rule leading to an unknown stage', (m: any) => { m.rules[0].stage = 'nowhere'; }, 'stage_model_unknown_stage'],
    ['a rule naming an unknown option', (m: any) => { m.rules[0].when[0].equals = 'maybe'; }, 'stage_model_unknown_option'],
    ['a rule leading to won', (m: any) => { m.rules[0].stage = 'won'; }, 'stage_model_rule_outcome'],
    ['a cycle of questions', (m: any) => { m.questions[0].dependsOn = ['budget_approved']; m.questions[1].dependsOn = ['tender_no']; m.questions[3].dependsOn = ['has_need']; }, 'stage_model_cycle'],
    ['a question depending on itself', (m: any) => { m.questions[0].dependsOn = ['has_need']; }, 'stage_model_cycle'],
    ['two stages with one key', (m: any) => { m.stages[1].key = 'contact'; }, 'stage_model_duplicate_key'],
    ['a todo for an unknown role', (m: any) => { m.roles = []; }, 'stage_model_unknown_role'],
    ['a choice question without options', (m: any) => { delete m.questions[5].options; }, 'stage_model_no_options'],
    ['21 options', (m: any) => { m.questions[5].options = Array.from({ length: 21 }, (_, i) => ({ key: `o${i}`, label: `选项${i}` })); }, 'stage_model_invalid'],
    ['an unknown field', (m: any) => { m.colour = 'red'; }, 'stage_model_invalid'],
    ['no won stage', (m: any) => { m.stages = m.stages.filter((s: any) => s.outcome !== 'won'); }, 'stage_model_no_won'],
  ])('refuses %s with a code', (_name, mutate, code) => {
    const m = clone();
    mutate(m);
    expect(codeOf(m)).toBe(code);
  });

  it('names the cycle', () => {
    const m = clone();
    m.questions[0].dependsOn = ['budget_approved'];
    m.questions[1].dependsOn = ['has_need'];
    try {
      validateStageModel(m);
      throw new Error('accepted');
    } catch (e) {
      expect((e as AppError).details).toEqual({ cycle: ['has_need', 'budget_approved', 'has_need'] });
    }
  });
});

describe('stage rules', () => {
  const m = DEFAULT_STAGE_MODEL;
  it('the first rule that holds decides, so the furthest stage wins', () => {
    expect(decide(m, new Map([['budget_approved', ['yes']]]))?.stage.name).toBe('方案确认');
    expect(decide(m, new Map([['budget_approved', ['yes']], ['tender_no', ['yes']]]))?.stage.name).toBe('投标准备');
    expect(decide(m, new Map([['budget_approved', ['no']]]))).toBeNull();
  });

  it('a rule is named from its question and option', () => {
    expect(ruleName(m, m.rules[3]!)).toBe('预算已批复 = 是');
    expect(ruleName(m, { when: [{ question: 'tech_params', equals: 'yes' }, { question: 'decision_maker', equals: ['dean', 'director'] }], stage: 'technical' })).toBe('约定提交技术参数 = 是 且 最终决策人是谁 = 院长/科主任');
  });

  it('questions: open ones first, then the answered ones; those that cannot move the customer further are not asked', () => {
    const shown = questionsToShow(m, 'solution', new Map([['budget_approved', ['yes']], ['decision_maker', ['dean']]]));
    expect(shown.map((q) => [q.question.key, q.open])).toEqual([['tech_params', true], ['tender_no', true], ['price_talks', true], ['budget_approved', false], ['decision_maker', false]]);
    expect(questionsToShow(m, 'solution', new Map()).map((q) => q.question.key)).not.toContain('has_need');
    expect(questionsToShow(m, 'won', new Map())).toEqual([]);
  });

  it('dependsOn holds a question back until its prerequisite is answered', () => {
    const dm = validateStageModel({ ...clone(), questions: [...clone().questions.slice(0, 5), { ...clone().questions[5], dependsOn: ['has_need'], stages: undefined }] });
    expect(questionsToShow(dm, 'contact', new Map()).map((q) => q.question.key)).not.toContain('decision_maker');
    expect(questionsToShow(dm, 'contact', new Map([['has_need', ['yes']]])).filter((q) => q.open).map((q) => q.question.key)).toContain('decision_maker');
  });

  it('a required field is found in a column, a custom field or an answer of that key', () => {
    const stage = { key: 's', name: 'S', requires: ['budget', 'company'] };
    expect(missingFields(stage, { company: null }, {}, new Map())).toEqual(['budget', 'company']);
    expect(missingFields(stage, { company: '协和' }, { budget: '50万' }, new Map())).toEqual([]);
    expect(missingFields(stage, { company: '协和' }, {}, new Map([['budget', ['b1']]]))).toEqual([]);
  });
});
