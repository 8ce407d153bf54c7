/** One error shape for the whole product: a stable code, an HTTP status, and whether the message may be shown. */
export class AppError extends Error {
  readonly code: string;
  readonly status: number;
  readonly expose: boolean;
  readonly details?: unknown;

  constructor(code: string, message: string, status = 400, opts: { expose?: boolean; details?: unknown; cause?: unknown } = {}) {
    super(message, opts.cause !== undefined ? { cause: opts.cause } : undefined);
    this.name = 'AppError';
    this.code = code;
    this.status = status;
    this.expose = opts.expose ?? status < 500;
    this.details = opts.details;
  }
}

export const badRequest = (code: string, message: string, details?: unknown) => new AppError(code, message, 400, { details });
export const unauthorized = (message = 'authentication required') => new AppError('unauthorized', message, 401);
export const forbidden = (message = 'forbidden') => new AppError('forbidden', message, 403);
export const notFound = (what: string) => new AppError('not_found', `${what} not found`, 404);
export const conflict = (code: string, message: string) => new AppError(code, message, 409);

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}
