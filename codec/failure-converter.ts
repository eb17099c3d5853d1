import { DefaultFailureConverter } from '@temporalio/common';

/**
 * Loaded by path (`failureConverterPath`) in workers whose payloads are encrypted, in the workflow bundle
 * and for activities: a failure's message and stack trace move into its encoded attributes, a payload the
 * codecs encrypt, so a provider's error text (which may quote the request) is not stored in clear.
 */
export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
