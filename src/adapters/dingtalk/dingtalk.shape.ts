import { z } from 'zod';

// The robot callback is JSON from the internet: its signature covers only the timestamp, so every
// field the mapper reads is checked for its type and size before it is read (a msgId that is an
// array or a 10 MB sender name would otherwise reach the database).
const id = z.string().min(1).max(256);
const text = (max: number) => z.string().max(max).optional();

const robotContent = z
  .object({
    downloadCode: text(2048),
    pictureDownloadCode: text(2048),
    fileName: text(1024),
    fileId: text(256),
    spaceId: text(256),
    duration: z.union([z.number(), z.string().max(32)]).optional(),
    recognition: text(100_000),
    videoType: text(64),
    richText: z.array(z.object({ text: text(100_000), type: text(64), downloadCode: text(2048), pictureDownloadCode: text(2048) }).loose()).max(500).optional(),
  })
  .loose();

export const robotMessageShape = z
  .object({
    msgId: z.string().min(1).max(128),
    msgtype: text(64),
    createAt: z.union([z.number(), z.string().max(32)]),
    conversationType: text(8),
    conversationId: id,
    conversationTitle: text(1024),
    senderId: id.optional(),
    senderNick: text(256),
    senderStaffId: id.optional(),
    senderUnionId: id.optional(),
    chatbotUserId: text(256),
    sessionWebhook: text(2048),
    sessionWebhookExpiredTime: z.number().optional(),
    atUsers: z.array(z.object({ dingtalkId: z.string().max(256), staffId: text(256) }).loose()).max(500).optional(),
    text: z.object({ content: text(100_000) }).loose().optional(),
    content: robotContent.optional(),
  })
  .loose()
  .refine((m) => Boolean(m.senderStaffId || m.senderId), 'a sender');

/** The first problem with a robot message's shape, as a path and a reason, or null when it is well-formed. */
export function robotShapeProblem(raw: unknown): string | null {
  const r = robotMessageShape.safeParse(raw);
  if (r.success) return null;
  const issue = r.error.issues[0]!;
  return `${issue.path.join('.') || 'message'}: ${issue.message}`;
}
