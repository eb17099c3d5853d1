import { isRetryableFailureType, type FailureType } from './failure-types';

/**
 * Marks every `CascadeError`. Registered with `Symbol.for`, so the same marker is seen by another copy
 * of this module (a workflow bundle, a second install, another `vm` realm) where `instanceof` fails.
 */
const cascadeErrorMarker = Symbol.for('temporal-cascade.error');

export interface CascadeErrorOptions<Type extends string = FailureType> {
  /** The stable type callers match on; one of `failureTypes`. */
  type: Type;
  /** What went wrong, naming the bad field, file or option. */
  message: string;
  /** The error that led to this one. */
  cause?: unknown;
  /**
   * Whether retrying the same call can only fail the same way.
   * @default the registry's answer for `type` (`isRetryableFailureType`)
   */
  nonRetryable?: boolean;
  /** Plain JSON that helps a caller act on the error; recorded as the failure's details in a history. */
  details?: unknown;
  /** How long to wait before the next attempt, when the other side said (a capped `Retry-After`). */
  retryAfterMs?: number;
}

/**
 * The base of every error the project raises: a stable `type` from the failure registry, whether retrying
 * can help, and optional JSON details. `toApplicationFailure` turns one into a Temporal failure.
 */
export class CascadeError<Type extends string = FailureType> extends Error {
  readonly type: Type;
  readonly nonRetryable: boolean;
  readonly details: unknown;
  readonly retryAfterMs: number | undefined;
  private readonly [cascadeErrorMarker] = true;

  constructor(options: CascadeErrorOptions<Type>) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.type = options.type;
    this.nonRetryable = options.nonRetryable ?? !isRetryableFailureType(options.type);
    this.details = options.details;
    this.retryAfterMs = options.retryAfterMs;
  }

  /**
   * Whether `value` is an error of this class, also when it comes from another copy of this module or
   * another realm: `CascadeError.isInstance` accepts every project error, `UnknownRouteError.isInstance`
   * one whose `name` is `UnknownRouteError`.
   */
  static isInstance<Instance extends CascadeError<string>>(
    this: abstract new (...args: never[]) => Instance,
    value: unknown,
  ): value is Instance {
    if (typeof value !== 'object' || value === null) return false;
    if ((value as { [cascadeErrorMarker]?: unknown })[cascadeErrorMarker] !== true) return false;
    return (this as unknown) === CascadeError || value instanceof this || (value as Error).name === this.name;
  }
}
