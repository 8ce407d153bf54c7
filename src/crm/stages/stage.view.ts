import type { Tx } from '../../db/database.js';
import { answerMap, answersOf, currentEntry, latestModel, type StageAnswer, type StageEntry } from './stage.repo.js';
import { questionsToShow } from './stage.rules.js';
import { optionsOf, type Versioned } from './stage.types.js';

// The JSON the sidebar and chat read: the current stage, the model's stages, and the questions
// that matter now (open ones first), each with its answer and who gave it.

export function presentAnswer(a: StageAnswer) {
  return { values: a.values, labels: a.labels, by: { id: a.userId ?? a.actor, name: a.actorName ?? a.actor }, at: a.answeredAt.toISOString(), via: a.via };
}

export function presentStage(e: StageEntry | null) {
  return e ? { key: e.stageKey, name: e.stageName, enteredAt: e.enteredAt.toISOString(), outcome: e.outcome } : null;
}

export function presentEntry(e: StageEntry) {
  return {
    id: e.id,
    stage: { key: e.stageKey, name: e.stageName, order: e.stageOrder, outcome: e.outcome },
    from: e.fromKey,
    modelVersion: e.modelVersion,
    enteredAt: e.enteredAt.toISOString(),
    leftAt: e.leftAt?.toISOString() ?? null,
    by: { id: e.actor.startsWith('user:') ? e.actor.slice(5) : e.actor, name: e.actorName ?? e.actor },
    ownerId: e.ownerId,
    rule: e.rule,
    answers: e.answers,
    reason: e.reason,
    details: e.details,
  };
}

export function questionList(v: Versioned, stageKey: string | null, rows: StageAnswer[]) {
  const byKey = new Map(rows.map((a) => [a.questionKey, a]));
  return questionsToShow(v.model, stageKey, answerMap(rows)).map(({ question: q, open }) => ({
    key: q.key,
    text: q.text,
    kind: q.kind,
    options: optionsOf(q).map((o) => ({ key: o.key, label: o.label })),
    open,
    answer: byKey.has(q.key) ? presentAnswer(byKey.get(q.key)!) : null,
  }));
}

export async function stageView(tx: Tx, tenantId: string, customerId: string) {
  const [v, entry, rows] = [await latestModel(tx, tenantId), await currentEntry(tx, tenantId, customerId), await answersOf(tx, tenantId, customerId)];
  return {
    stage: presentStage(entry),
    modelVersion: v.version,
    stages: v.model.stages.map((s, order) => ({ key: s.key, name: s.name, order, terminal: !!s.outcome, ...(s.outcome ? { outcome: s.outcome } : {}) })),
    questions: questionList(v, entry?.stageKey ?? null, rows),
  };
}
