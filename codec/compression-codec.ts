import { deflateSync, inflateSync } from 'node:zlib';
import { METADATA_ENCODING_KEY, type Payload, type PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { metadataText } from './encryption-codec';

/** The `encoding` of a compressed payload, as Temporal's Go SDK names its zlib codec's payloads. */
export const compressedEncoding = 'binary/zlib';
/**
 * The most a compressed payload may inflate to. Anyone who can start a workflow can send a `binary/zlib`
 * payload, so a small one must not expand into gigabytes; Temporal's own payload limit is 2 MB.
 */
export const maxInflatedBytes = 16 * 1024 * 1024;

/**
 * Compresses whole payloads with zlib when that makes them smaller (short payloads are left as they are).
 * In a codec list it comes before encryption: ciphertext does not compress.
 */
export class CompressionCodec implements PayloadCodec {
  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const plain = temporal.api.common.v1.Payload.encode(payload).finish();
      const compressed = deflateSync(plain);
      if (compressed.length >= plain.length) return payload;
      return {
        metadata: { [METADATA_ENCODING_KEY]: Buffer.from(compressedEncoding) },
        data: new Uint8Array(compressed),
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      if (metadataText(payload, METADATA_ENCODING_KEY) !== compressedEncoding) return payload;
      return temporal.api.common.v1.Payload.decode(
        inflateSync(Buffer.from(payload.data ?? new Uint8Array()), { maxOutputLength: maxInflatedBytes }),
      );
    });
  }
}
