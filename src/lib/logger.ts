import pino, { type Logger } from 'pino';
import { maskDeep, maskPhonesInText } from './mask.js';

export type { Logger };

const SECRET_PATHS = [
  'secret', 'token', 'password', 'masterKey', 'accessToken', 'encodingAesKey', 'appSecret', 'authorization',
  '*.secret', '*.token', '*.password', '*.masterKey', '*.accessToken', '*.encodingAesKey', '*.appSecret', '*.authorization',
  'req.headers.authorization', 'req.headers.cookie', 'headers.authorization',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { svc: 'kelu' },
      redact: { paths: SECRET_PATHS, censor: '[redacted]' },
      formatters: { log: (obj) => maskDeep(obj) as Record<string, unknown> },
      hooks: {
        logMethod(args, method) {
          const masked = args.map((a) => (typeof a === 'string' ? maskPhonesInText(a) : a));
          return method.apply(this, masked as Parameters<typeof method>);
        },
      },
    },
    destination,
  );
}
