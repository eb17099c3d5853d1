import { CascadeError } from '../contracts/cascade-error';
import { failureTypes } from '../contracts/failure-types';
import type { OpenAIErrorStatus } from './openai-error';

/** Stable `type` of each refused request. */
export const refusedRequestTypes = {
  refusedRequest: failureTypes.refusedRequest,
  requestTooLarge: failureTypes.requestTooLarge,
  invalidJsonBody: failureTypes.invalidJsonBody,
} as const;
export type RefusedRequestType = (typeof refusedRequestTypes)[keyof typeof refusedRequestTypes];

export interface RefusedRequestOptions {
  status: OpenAIErrorStatus;
  message: string;
  /** OpenAI's `error.code`. @default the status's code in `openAIErrorKinds` */
  code?: string;
  /** The request field at fault, as OpenAI's `error.param`. @default none */
  param?: string;
  /** The stable type of the refusal. @default `RefusedRequest` */
  type?: RefusedRequestType;
  /** Headers of the answer, such as `Retry-After`. @default none */
  headers?: Record<string, string>;
}

/**
 * A request the server refuses. Thrown from a route of an app made by `createHttpApp`, it is answered
 * with `status` and an OpenAI-shaped error body naming `code` and `param`.
 */
export class RefusedRequestError extends CascadeError<RefusedRequestType> {
  override readonly name: string = 'RefusedRequestError';
  readonly status: OpenAIErrorStatus;
  readonly code: string | undefined;
  readonly param: string | undefined;
  readonly headers: Record<string, string> | undefined;

  constructor(options: RefusedRequestOptions) {
    super({ type: options.type ?? refusedRequestTypes.refusedRequest, message: options.message });
    this.status = options.status;
    this.code = options.code;
    this.param = options.param;
    this.headers = options.headers;
  }
}

/** The request body is larger than the server accepts: 413. */
export class RequestTooLargeError extends RefusedRequestError {
  declare readonly type: typeof refusedRequestTypes.requestTooLarge;
  override readonly name = 'RequestTooLargeError';

  constructor(options: { limitBytes: number }) {
    super({
      type: refusedRequestTypes.requestTooLarge,
      status: 413,
      message: `the request body is larger than ${options.limitBytes} bytes`,
    });
  }
}

/** The request body is not JSON: 400 `invalid_json`. */
export class InvalidJsonBodyError extends RefusedRequestError {
  declare readonly type: typeof refusedRequestTypes.invalidJsonBody;
  override readonly name = 'InvalidJsonBodyError';

  constructor() {
    super({
      type: refusedRequestTypes.invalidJsonBody,
      status: 400,
      message: 'the request body is not valid JSON',
      code: 'invalid_json',
    });
  }
}
