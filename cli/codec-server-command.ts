import { Option, type Command } from 'commander';
import { createCodecServerApp } from '../codec/codec-server-app';
import { encryptionKeysFromEnvironment } from '../codec/encryption-keys';
import { codecServerCodecs } from '../codec/payload-codecs';
import { ConfigurationError } from '../config/configuration-error';
import { isLoopbackHost } from '../http/loopback-host';
import { startHttpServer } from '../http/http-server';
import { createLogger } from '../workers/pino-logger';
import { reportFailure } from './command-output';
import { readTlsFiles } from './tls-options';
import { parseNonNegativeInteger } from './option-parsers';

interface CodecServerCommandOptions {
  host: string;
  port: number;
  allowOrigin: string[];
  auth: boolean;
  publishedOnLoopback: boolean;
  tlsCert?: string;
  tlsKey?: string;
}

export function registerCodecServerCommand(program: Command): void {
  program
    .command('codec-server')
    .description(
      'decode encrypted payloads for the Temporal Web UI and `temporal --codec-endpoint` (keys from CASCADE_ENCRYPTION_KEYS or CASCADE_ENCRYPTION_KEY_FILE; token from CASCADE_CODEC_SERVER_TOKEN)',
    )
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .addOption(new Option('--port <port>', 'port to listen on').argParser(parseNonNegativeInteger).default(8888))
    .option(
      '--allow-origin <origin>',
      "a browser origin that may call it, the Web UI's (repeatable; default: http://localhost:8233 and http://127.0.0.1:8233)",
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .option('--no-auth', 'accept requests without the token (only on a loopback host, for the local dev server)')
    .option(
      '--published-on-loopback',
      "with --no-auth on another host: its port is published on the machine's loopback only (a container's 127.0.0.1:8888:8888)",
      false,
    )
    .option('--tls-cert <file>', 'serve HTTPS with this certificate (PEM)')
    .option('--tls-key <file>', 'the private key of --tls-cert (PEM)')
    .action(async (options: CodecServerCommandOptions) => {
      process.exitCode = await codecServerCommand(options);
    });
}

async function codecServerCommand(options: CodecServerCommandOptions): Promise<number> {
  const logger = createLogger();
  try {
    const keyring = encryptionKeysFromEnvironment();
    // Without keys there is nothing to decode; it still answers, so a Web UI pointed at it shows plain payloads.
    if (!keyring)
      logger.warn(
        'no encryption keys (CASCADE_ENCRYPTION_KEYS or CASCADE_ENCRYPTION_KEY_FILE): payloads pass through unchanged',
      );
    const token = process.env.CASCADE_CODEC_SERVER_TOKEN?.trim() || undefined;
    if (options.auth && token === undefined) {
      throw new ConfigurationError({
        message:
          'set CASCADE_CODEC_SERVER_TOKEN (callers send it as Authorization: Bearer TOKEN), or pass --no-auth on a loopback host',
      });
    }
    if (!options.auth && !isLoopbackHost(options.host) && !options.publishedOnLoopback) {
      throw new ConfigurationError({
        message: `--no-auth is for a loopback host only; --host ${options.host} would hand decrypted payloads to anyone who can reach it (in a container whose port is published on the machine's loopback only, add --published-on-loopback)`,
      });
    }
    const tls = readTlsFiles(options);
    const app = createCodecServerApp({
      codecs: codecServerCodecs(keyring),
      token: options.auth ? token : undefined,
      allowedOrigins:
        options.allowOrigin.length > 0 ? options.allowOrigin : ['http://localhost:8233', 'http://127.0.0.1:8233'],
      logger,
    });
    const server = await startHttpServer({
      fetch: app.fetch,
      host: options.host,
      port: options.port,
      tls,
    });
    if (!options.tlsCert && !isLoopbackHost(options.host))
      logger.warn('serving decrypted payloads over plain HTTP on a non-loopback host: pass --tls-cert and --tls-key');
    process.stderr.write(
      [
        `Codec server  ${server.origin} (${keyring ? `keys: ${[...keyring.keys.keys()].join(', ')}; encrypts with ${keyring.encryptingKey.id}` : 'no keys: payloads pass through'})`,
        `Web UI        set the codec endpoint to ${server.origin}`,
        `temporal CLI  temporal workflow show --workflow-id ID --codec-endpoint ${server.origin}${options.auth ? ' --codec-auth "Bearer $CASCADE_CODEC_SERVER_TOKEN"' : ''}`,
        'Press Ctrl-C to stop.',
        '',
      ].join('\n'),
    );
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await server.close();
    return 0;
  } catch (error) {
    return reportFailure(error, { json: false });
  }
}
