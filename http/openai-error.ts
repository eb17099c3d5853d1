/** OpenAI's `error.type` and a stable `error.code` for each status the server answers with. */
export const openAIErrorKinds = {
  400: { type: 'invalid_request_error', code: 'invalid_request' },
  401: { type: 'invalid_request_error', code: 'invalid_api_key' },
  403: { type: 'permission_error', code: 'permission_denied' },
  404: { type: 'invalid_request_error', code: 'model_not_found' },
  405: { type: 'invalid_request_error', code: 'method_not_allowed' },
  413: { type: 'invalid_request_error', code: 'request_too_large' },
  422: { type: 'invalid_request_error', code: 'unprocessable_entity' },
  429: { type: 'rate_limit_error', code: 'rate_limit_exceeded' },
  500: { type: 'server_error', code: 'internal_error' },
  502: { type: 'server_error', code: 'bad_gateway' },
  503: { type: 'server_error', code: 'service_unavailable' },
  504: { type: 'server_error', code: 'timeout' },
} as const;

export type OpenAIErrorStatus = keyof typeof openAIErrorKinds;

/** An error response body in OpenAI's shape. */
export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string };
}

export function openAIErrorBody(options: {
  status: OpenAIErrorStatus;
  message: string;
  code?: string;
  param?: string;
}): OpenAIErrorBody {
  const kind = openAIErrorKinds[options.status];
  return {
    error: { message: options.message, type: kind.type, param: options.param ?? null, code: options.code ?? kind.code },
  };
}
