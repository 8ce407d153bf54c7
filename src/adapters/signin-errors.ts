import { AppError } from '../lib/errors.js';
import { PlatformApiError } from '../lib/platform-error.js';

/** A platform's refusal of a sign-in code is the caller's problem (401); an outage is ours (502). */
export function signInError(e: unknown, label: string): AppError {
  if (e instanceof PlatformApiError && !e.retryable) {
    return new AppError('invalid_code', `${label} did not accept this sign-in code (expired, used, or issued to another company)`, 401);
  }
  return new AppError('platform_unavailable', `${label} could not be reached; try again`, 502, { expose: true });
}
