import type { trackedLinks } from '../../db/schema.js';

export type TrackedLink = typeof trackedLinks.$inferSelect;

/** The behaviours a landing page reports, and what each is worth unless the tenant says otherwise. */
export const BEHAVIOURS = ['video', 'download', 'demo'] as const;
export type Behaviour = (typeof BEHAVIOURS)[number];
export const DEFAULT_POINTS: Record<Behaviour, number> = { video: 1, download: 2, demo: 5 };
export const BEHAVIOUR_LABELS: Record<Behaviour, string> = { video: '观看视频满 60 秒', download: '下载资料', demo: '预约演示' };

export interface TrackingSettings {
  publicKey: string;
  points: Record<Behaviour, number>;
}

/** A first-party visitor id: the redirect or the script makes it; 16-40 URL-safe characters. */
export const VISITOR_ID = /^[A-Za-z0-9_-]{16,40}$/;
export const LINK_CODE = /^[A-Za-z0-9]{4,16}$/;

export interface Touchpoint {
  channel: string;
  campaign: string;
  points: number;
  share: number;
  amount: number | null;
}
