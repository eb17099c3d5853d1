import type { OpenAIErrorStatus } from './openai-error';

/** Stable `type` of each refused request. */
export const refusedRequestTypes = {
  refusedRequest: 'RefusedRequest',
  requestTooLarge: 'RequestTooLarge',
  invalidJsonBody: 'InvalidJsonBody',
} as const;

export interface RefusedRequestOptions {
  status: OpenAIErrorStatus;
  message: string;
  /** OpenAI's `error.code`. @default the status's code in `openAIErrorKinds` */
  code?: string;
  /** The request field at fault, as OpenAI's `error.param`. @default none */
  param?: string;
}

/**
 * A request the server refuses. Thrown from a route of an app made by `createHttpApp`, it is answered
 * with `status` and an OpenAI-shaped error body naming `code` and `param`.
 */
export class RefusedRequestError extends Error {
  readonly type: string = refusedRequestTypes.refusedRequest;
  override readonly name: string = 'RefusedRequestError';
  readonly status: OpenAIErrorStatus;
  readonly code: string | undefined;
  readonly param: string | undefined;

  constructor(options: RefusedRequestOptions) {
    super(options.message);
    this.status = options.status;
    this.code = options.code;
    this.param = options.param;
  }
}

/** The request body is larger than the server accepts: 413. */
export class RequestTooLargeError extends RefusedRequestError {
  override readonly type = refusedRequestTypes.requestTooLarge;
  override readonly name = 'RequestTooLargeError';

  constructor(options: { limitBytes: number }) {
    super({ status: 413, message: `the request body is larger than ${options.limitBytes} bytes` });
  }
}

/** The request body is not JSON: 400 `invalid_json`. */
export class InvalidJsonBodyError extends RefusedRequestError {
  override readonly type = refusedRequestTypes.invalidJsonBody;
  override readonly name = 'InvalidJsonBodyError';

  constructor() {
    super({ status: 400, message: 'the request body is not valid JSON', code: 'invalid_json' });
  }
}
