import { and, eq, gte, inArray, lt, type SQL } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { stageEntries, users } from '../../db/schema.js';
import { median } from './comparable.js';
import { latestModel } from './stage.repo.js';

/** What each funnel number means; the API returns these with the numbers. */
export const FUNNEL_DEFINITIONS = {
  entered: 'customers with a stay in this stage that began in the period',
  reached: 'customers whose stays in the period include this stage or a later one (lost excluded): the funnel',
  current: 'customers in this stage now, among those counted',
  conversionToNext: 'reached of the next stage / reached of this one (null when nobody reached this one)',
  medianSecondsInStage: 'median length of the finished stays in this stage (entered to left), in seconds',
  lost: 'customers with a lost stay in the period',
  owner: "a customer counts for the owner of their latest stay in the period",
} as const;

export interface FunnelStage {
  key: string;
  name: string;
  entered: number;
  reached: number;
  current: number;
  conversionToNext: number | null;
  medianSecondsInStage: number | null;
}

export interface FunnelGroup {
  customers: number;
  stages: FunnelStage[];
  lost: number;
}

type Row = { customerId: string; stageKey: string; ownerId: string | null; enteredAt: Date; leftAt: Date | null; outcome: string | null };

export async function funnel(tx: Tx, tenantId: string, f: { from?: Date; to?: Date; ownerIds: string[] | null }) {
  const v = await latestModel(tx, tenantId);
  const conds: (SQL | undefined)[] = [eq(stageEntries.tenantId, tenantId), f.from ? gte(stageEntries.enteredAt, f.from) : undefined, f.to ? lt(stageEntries.enteredAt, f.to) : undefined];
  const rows: Row[] = await tx.select({
    customerId: stageEntries.customerId, stageKey: stageEntries.stageKey, ownerId: stageEntries.ownerId,
    enteredAt: stageEntries.enteredAt, leftAt: stageEntries.leftAt, outcome: stageEntries.outcome,
  }).from(stageEntries).where(and(...conds)).orderBy(stageEntries.enteredAt, stageEntries.seq).limit(200_000);
  // Each customer belongs to the owner of their latest stay (rows are in time order).
  const ownerOf = new Map<string, string | null>();
  for (const r of rows) ownerOf.set(r.customerId, r.ownerId);
  const visible = rows.filter((r) => f.ownerIds === null || f.ownerIds.includes(ownerOf.get(r.customerId) ?? ''));
  const order = v.model.stages.filter((s) => s.outcome !== 'lost');
  const lostKeys = new Set(v.model.stages.filter((s) => s.outcome === 'lost').map((s) => s.key));

  const group = (rs: Row[]): FunnelGroup => {
    const furthest = new Map<string, number>();
    for (const r of rs) {
      const i = order.findIndex((s) => s.key === r.stageKey);
      if (i >= 0) furthest.set(r.customerId, Math.max(furthest.get(r.customerId) ?? -1, i));
    }
    const stages = order.map((s, i) => {
      const here = rs.filter((r) => r.stageKey === s.key);
      const stays = here.filter((r) => r.leftAt).map((r) => (r.leftAt!.getTime() - r.enteredAt.getTime()) / 1000).sort((a, b) => a - b);
      return {
        key: s.key, name: s.name,
        entered: new Set(here.map((r) => r.customerId)).size,
        reached: [...furthest.values()].filter((x) => x >= i).length,
        current: here.filter((r) => !r.leftAt).length,
        conversionToNext: null as number | null,
        medianSecondsInStage: stays.length ? Math.round(median(stays)) : null,
      };
    });
    stages.forEach((s, i) => {
      const next = stages[i + 1];
      if (next && s.reached > 0) s.conversionToNext = Math.round((next.reached / s.reached) * 10_000) / 10_000;
    });
    return { customers: new Set(rs.map((r) => r.customerId)).size, stages, lost: new Set(rs.filter((r) => lostKeys.has(r.stageKey)).map((r) => r.customerId)).size };
  };

  const ownerIds = [...new Set(visible.map((r) => ownerOf.get(r.customerId) ?? null))].filter((x): x is string => !!x);
  const names = ownerIds.length ? await tx.select({ id: users.id, name: users.name }).from(users).where(and(eq(users.tenantId, tenantId), inArray(users.id, ownerIds))) : [];
  const reps = names.sort((a, b) => a.name.localeCompare(b.name, 'zh')).map((u) => ({ user: u, ...group(visible.filter((r) => ownerOf.get(r.customerId) === u.id)) }));
  return {
    modelVersion: v.version,
    from: f.from?.toISOString() ?? null,
    to: f.to?.toISOString() ?? null,
    definitions: FUNNEL_DEFINITIONS,
    team: group(visible),
    reps,
  };
}
