import NodeCache from 'node-cache';
import type { Card } from '../../channel/messages.js';
import type { Logger } from '../../lib/logger.js';
import { PlatformApiError } from '../../lib/platform-error.js';
import { isDuplicateIdError, type DingtalkClient } from './dingtalk.client.js';

// DingTalk todos that mirror a tracked card. What deliver() returns as `cardRef` and gets back on the card's update:
//   { todos: [{ unionId, todoId }] }   unionId is the todo's creator and executor (the recipient), todoId DingTalk's id.

export interface DingtalkTodoRef {
  unionId: string;
  todoId: string;
}

export interface TodoOutcome {
  todos: DingtalkTodoRef[];
  /** Why some recipient got no todo (or a todo was not marked done); the card itself went out. */
  error?: string;
}

/** Staff userid -> unionId (the todo API wants unionIds), cached per tenant and user for an hour. */
export class DingtalkUnionIds {
  private readonly cache: NodeCache;

  constructor(ttlSeconds = 3600) {
    this.cache = new NodeCache({ stdTTL: ttlSeconds, checkperiod: 0, useClones: false });
  }

  async get(tenantId: string, client: DingtalkClient, userId: string): Promise<string> {
    const key = `${tenantId}\u0000${userId}`;
    const hit = this.cache.get<string>(key);
    if (hit) return hit;
    const { unionId } = await client.getUser(userId);
    this.cache.set(key, unionId);
    return unionId;
  }
}

/** The todo refs a card update hands back, ignoring anything malformed (the ref is stored JSON). */
export function todosOf(ref: Record<string, unknown> | undefined): DingtalkTodoRef[] {
  const list = ref?.todos;
  if (!Array.isArray(list)) return [];
  return list.filter((t): t is DingtalkTodoRef => !!t && typeof t === 'object' && typeof (t as DingtalkTodoRef).unionId === 'string' && typeof (t as DingtalkTodoRef).todoId === 'string');
}

const isRetryable = (e: unknown) => !(e instanceof PlatformApiError) || e.retryable;
const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

export interface TodoDeps {
  tenantId: string;
  client: DingtalkClient;
  unionIds: DingtalkUnionIds;
  logger?: Logger;
  /** Pause before the one in-place retry of a todo call that failed transiently after the card went out. */
  retryDelayMs: number;
}

/**
 * Step 1, before the card is sent: who gets a todo. A transient look-up failure throws, so the outbox retries
 * the whole message while nothing has been sent; a permanent one (user gone, no unionid) only costs that todo.
 */
export async function resolveExecutors(d: TodoDeps, userIds: string[]): Promise<{ executors: { userId: string; unionId: string }[]; errors: string[] }> {
  const executors: { userId: string; unionId: string }[] = [];
  const errors: string[] = [];
  for (const userId of userIds) {
    try {
      executors.push({ userId, unionId: await d.unionIds.get(d.tenantId, d.client, userId) });
    } catch (e) {
      if (isRetryable(e)) throw e;
      errors.push(`user ${userId}: ${messageOf(e)}`);
    }
  }
  return { executors, errors };
}

/**
 * Step 2, after the card went out: one todo per executor, our card id as its sourceId. Nothing here throws: a
 * retry of the message would send the card a second time, so a failure (after one in-place retry when transient)
 * is logged and returned for the outbox row's result instead.
 */
export async function createTodos(d: TodoDeps, card: Card, executors: { userId: string; unionId: string }[], earlier: string[]): Promise<TodoOutcome> {
  const todo = card.todo!;
  const due = todo.dueAt ? new Date(todo.dueAt) : undefined;
  const todos: DingtalkTodoRef[] = [];
  const errors = [...earlier];
  for (const { unionId } of executors) {
    try {
      const { id } = await once(d, () =>
        d.client.createTodo(unionId, {
          sourceId: card.cardId,
          subject: todo.subject,
          ...(todo.description ? { description: todo.description } : {}),
          ...(due && !Number.isNaN(due.getTime()) ? { dueTime: due } : {}),
          executorIds: [unionId],
          ...(card.url && /^https?:\/\//.test(card.url) ? { detailUrl: card.url } : {}),
        }),
      );
      todos.push({ unionId, todoId: id });
    } catch (e) {
      // DingTalk turns a second create with our sourceId down: an earlier attempt of this message made the
      // todo. Its id did not come back, so this todo is not marked done with the card; said, not hidden.
      if (isDuplicateIdError(e)) errors.push(`todo for ${unionId}: made by an earlier attempt (its id is unknown, so it is not completed with the card)`);
      else errors.push(`todo for ${unionId}: ${messageOf(e)}`);
    }
  }
  return finish(d, 'dingtalk_todo_create_failed', todos, errors);
}

/**
 * Before a card update goes out: its todos are marked done. Marking done is idempotent, so a transient failure
 * throws and the outbox retries the whole update (the card update is not sent yet); a permanent one is recorded
 * and the card is still updated.
 */
export async function completeTodos(d: TodoDeps, todos: DingtalkTodoRef[]): Promise<TodoOutcome> {
  const errors: string[] = [];
  for (const t of todos) {
    try {
      await d.client.completeTodo(t.unionId, t.todoId, true);
    } catch (e) {
      if (isRetryable(e)) throw e;
      errors.push(`todo ${t.todoId}: ${messageOf(e)}`);
    }
  }
  return finish(d, 'dingtalk_todo_complete_failed', todos, errors);
}

async function once<T>(d: TodoDeps, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (!isRetryable(e)) throw e;
    await new Promise((r) => setTimeout(r, d.retryDelayMs));
    return fn();
  }
}

function finish(d: TodoDeps, event: string, todos: DingtalkTodoRef[], errors: string[]): TodoOutcome {
  if (errors.length === 0) return { todos };
  const error = errors.join('; ').slice(0, 500);
  d.logger?.warn({ event, tenantId: d.tenantId, failures: errors.length, error }, 'dingtalk todo call failed; the card was delivered anyway');
  return { todos, error };
}
