import type { AnyAdapter } from '../channel/adapter.js';
import { wecomAdapter } from './wecom/wecom.adapter.js';
import { dingtalkAdapter } from './dingtalk/dingtalk.adapter.js';
import { wechatyAdapter } from './wechaty/wechaty.adapter.js';

/** Every platform Kelu speaks. Adding one is a folder under src/adapters and a line here. */
export const adapters: readonly AnyAdapter[] = [
  wecomAdapter,
  dingtalkAdapter,
  wechatyAdapter,
];
