import { DEFAULT_STAGE_MODEL } from '../../src/crm/stages/default-model.js';

/** The default model, with 售后工程师 = 张销售 and the decision-maker choice asked first. */
export function testModel(afterSalesId: string) {
  const m = JSON.parse(JSON.stringify(DEFAULT_STAGE_MODEL));
  const dm = m.questions.find((q: any) => q.key === 'decision_maker');
  delete dm.stages;
  m.questions = [dm, ...m.questions.filter((q: any) => q !== dm)];
  m.roles = [{ key: 'after_sales', name: '售后工程师', userIds: [afterSalesId] }];
  return m;
}
