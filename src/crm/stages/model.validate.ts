import { AppError } from '../../lib/errors.js';
import { optionsOf, stageModelSchema, type StageModel } from './stage.types.js';

// A stage model is refused with a code a client can branch on, and a message naming the culprit.
const refuse = (code: string, message: string, details?: unknown) => new AppError(code, message, 400, { details });

/** Parses and checks a model; throws AppError (stage_model_*) on the first problem. */
export function validateStageModel(input: unknown): StageModel {
  const parsed = stageModelSchema.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    throw refuse('stage_model_invalid', issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues);
  }
  const m = parsed.data;
  const open = m.stages.filter((s) => !s.outcome);
  if (m.stages.length === 0 || open.length === 0) throw refuse('stage_model_empty', 'a stage model needs at least one stage that is not won or lost');
  if (!m.stages.some((s) => s.outcome === 'won')) throw refuse('stage_model_no_won', 'a stage model needs a won stage');

  unique('stage', m.stages.map((s) => s.key));
  unique('question', m.questions.map((q) => q.key));
  unique('role', m.roles.map((r) => r.key));
  const stages = new Set(m.stages.map((s) => s.key));
  const questions = new Map(m.questions.map((q) => [q.key, q]));
  const roles = new Set(m.roles.map((r) => r.key));

  for (const q of m.questions) {
    const opts = optionsOf(q);
    if (opts.length === 0) throw refuse('stage_model_no_options', `question ${q.key} needs options`);
    if (q.kind === 'yesno' && opts.length !== 2) throw refuse('stage_model_yesno_options', `yes/no question ${q.key} has exactly two options`);
    unique(`option of ${q.key}`, opts.map((o) => o.key));
    for (const s of q.stages ?? []) if (!stages.has(s)) throw refuse('stage_model_unknown_stage', `question ${q.key} names unknown stage ${s}`);
    for (const d of q.dependsOn ?? []) if (!questions.has(d)) throw refuse('stage_model_unknown_question', `question ${q.key} depends on unknown question ${d}`);
  }
  m.rules.forEach((r, i) => {
    const where = r.name ?? `rule ${i + 1}`;
    const target = m.stages.find((s) => s.key === r.stage);
    if (!target) throw refuse('stage_model_unknown_stage', `${where} leads to unknown stage ${r.stage}`);
    if (target.outcome) throw refuse('stage_model_rule_outcome', `${where} leads to ${r.stage}: won and lost are entered by hand, with a reason`);
    for (const c of r.when) {
      const q = questions.get(c.question);
      if (!q) throw refuse('stage_model_unknown_question', `${where} names unknown question ${c.question}`);
      const keys = new Set(optionsOf(q).map((o) => o.key));
      for (const v of [c.equals].flat()) if (!keys.has(v)) throw refuse('stage_model_unknown_option', `${where}: question ${c.question} has no option ${v}`);
    }
  });
  for (const s of m.stages) {
    for (const a of s.actions ?? []) {
      if (a.kind === 'todo' && 'role' in a.assignee && !roles.has(a.assignee.role)) throw refuse('stage_model_unknown_role', `stage ${s.key} gives a todo to unknown role ${a.assignee.role}`);
    }
  }
  const cycle = findCycle(m);
  if (cycle) throw refuse('stage_model_cycle', `questions depend on each other in a circle: ${cycle.join(' → ')}`, { cycle });
  return m;
}

function unique(what: string, keys: string[]): void {
  const seen = new Set<string>();
  for (const k of keys) {
    if (seen.has(k)) throw refuse('stage_model_duplicate_key', `${what} key ${k} is used twice`);
    seen.add(k);
  }
}

/** A cycle in the questions' dependsOn graph, as the list of keys around it, or null. */
function findCycle(m: StageModel): string[] | null {
  const deps = new Map(m.questions.map((q) => [q.key, q.dependsOn ?? []]));
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (k: string): string[] | null => {
    if (state.get(k) === 'done') return null;
    if (state.get(k) === 'open') return [...path.slice(path.indexOf(k)), k];
    state.set(k, 'open');
    path.push(k);
    for (const d of deps.get(k) ?? []) {
      const c = visit(d);
      if (c) return c;
    }
    path.pop();
    state.set(k, 'done');
    return null;
  };
  for (const k of deps.keys()) {
    const c = visit(k);
    if (c) return c;
  }
  return null;
}
