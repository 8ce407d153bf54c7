/**
 * An error from a platform API call. `retryable` decides what the outbox does: network failures,
 * 5xx, and rate limits are retried with backoff; everything else is permanent and recorded.
 */
export class PlatformApiError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly code?: string | number,
    readonly httpStatus?: number,
  ) {
    super(message);
    this.name = 'PlatformApiError';
  }
}
