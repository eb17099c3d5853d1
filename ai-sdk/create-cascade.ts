import { InvalidArgumentError, NoSuchModelError, type ProviderV4 } from '@ai-sdk/provider';
import { CascadeClient } from '../client/cascade-client';
import { routeOfModel } from '../client/route-model-name';
import type { RouteCatalog } from '../config/route-catalog';
import { CascadeError } from '../contracts/cascade-error';
import { CascadeLanguageModel } from './cascade-language-model';
import { TemporalServerUnreachableError } from './temporal-server-unreachable-error';

/** Where the provider connects when it is given no client; unset fields follow Temporal's environment variables. */
export interface CascadeConnectionOptions {
  /** @default `TEMPORAL_ADDRESS`, else localhost:7233 */
  address?: string;
  /** @default `TEMPORAL_NAMESPACE`, else 'default' */
  namespace?: string;
  /** The task queue the cascade workers poll. @default 'cascade' */
  taskQueue?: string;
}

interface CascadeProviderCommonSettings {
  /**
   * The routes the provider serves: `languageModel` throws `NoSuchModelError` for a name not in them, and a
   * provider that connects itself checks each request against them before starting it. @default any name
   * (the worker refuses an unknown route)
   */
  routes?: RouteCatalog;
  /** The Temporal Web UI's address, to link each workflow in `providerMetadata.cascade.webUiUrl`. @default no link */
  webUiUrl?: string;
  /** The namespace of the Web UI links. @default the client's namespace */
  namespace?: string;
  /**
   * How long a call waits for its cascade's answer before it fails with a retryable `APICallError` (type
   * `CascadeWaitTimeout`); the cascade goes on, and a call under the same request id joins it. @default no limit
   */
  requestTimeoutMs?: number;
}

/** `createCascade`'s settings: a client to use, or where to connect one. */
export type CascadeProviderSettings = CascadeProviderCommonSettings &
  (
    | {
        /** The client that starts cascades; it stays the caller's to close. */
        client: CascadeClient;
        connection?: never;
      }
    | {
        client?: never;
        /** Where to connect, on the first call; `close()` closes the connection. @default Temporal's environment */
        connection?: CascadeConnectionOptions;
      }
  );

/** An AI SDK provider whose models are the cascade routes: `cascade('support-ticket')`. */
export interface CascadeProvider extends ProviderV4 {
  /** The route's model; the name may be written `cascade/<route>`. */
  (route: string): CascadeLanguageModel;
  /** The route's model; throws `NoSuchModelError` for a route not in the provider's `routes`. */
  languageModel(route: string): CascadeLanguageModel;
  /** Closes the connection the provider opened; a client it was given stays open. */
  close(): Promise<void>;
}

/**
 * An AI SDK provider that runs each call as a durable cascade on a route:
 * `generateText({ model: cascade('support-ticket'), prompt })`. Given no `client`, it connects on the first
 * call, in Temporal's environment conventions, and `close()` closes that connection. Throws
 * `InvalidArgumentError` for a bad setting.
 */
export function createCascade(settings: CascadeProviderSettings = {}): CascadeProvider {
  checkSettings(settings);
  const clients = settings.client
    ? givenClient(settings.client)
    : lazyConnection(settings.connection ?? {}, settings.routes);

  const languageModel = (modelId: string): CascadeLanguageModel => {
    const route = routeOfModel(modelId);
    if (route === '' || (settings.routes && !settings.routes.has(route)))
      throw new NoSuchModelError({
        modelId,
        modelType: 'languageModel',
        message: `no route "${route}"${settings.routes ? ` (routes: ${settings.routes.names().join(', ') || 'none'})` : ''}`,
      });
    return new CascadeLanguageModel({
      route,
      client: () => clients.client(),
      webUiUrl: settings.webUiUrl,
      namespace: settings.namespace ?? settings.connection?.namespace,
      requestTimeoutMs: settings.requestTimeoutMs,
    });
  };

  return Object.assign((route: string) => languageModel(route), {
    specificationVersion: 'v4' as const,
    languageModel,
    embeddingModel: (modelId: string): never => {
      throw new NoSuchModelError({
        modelId,
        modelType: 'embeddingModel',
        message: 'a cascade has no embedding models',
      });
    },
    imageModel: (modelId: string): never => {
      throw new NoSuchModelError({ modelId, modelType: 'imageModel', message: 'a cascade has no image models' });
    },
    close: () => clients.close(),
  });
}

function checkSettings(settings: CascadeProviderSettings): void {
  const { requestTimeoutMs, webUiUrl } = settings;
  if (requestTimeoutMs !== undefined && !(Number.isFinite(requestTimeoutMs) && requestTimeoutMs > 0))
    throw new InvalidArgumentError({
      argument: 'requestTimeoutMs',
      message: `createCascade: requestTimeoutMs must be a positive number of milliseconds, not ${requestTimeoutMs}`,
    });
  if (webUiUrl !== undefined && !isHttpUrl(webUiUrl))
    throw new InvalidArgumentError({
      argument: 'webUiUrl',
      message: `createCascade: webUiUrl must be an http(s) URL such as http://localhost:8233, not ${JSON.stringify(webUiUrl)}`,
    });
}

/** Where a provider's models get their client, and how the provider lets go of it. */
interface ClientSource {
  client(): Promise<CascadeClient>;
  close(): Promise<void>;
}

/** The caller's client, which the caller closes. */
function givenClient(client: CascadeClient): ClientSource {
  return { client: async () => client, close: async () => undefined };
}

function isHttpUrl(text: string): boolean {
  return URL.canParse(text) && ['http:', 'https:'].includes(new URL(text).protocol);
}

/**
 * A `CascadeClient` connected on first use, once; a failed connection is tried again on the next call, its
 * failure a `TemporalServerUnreachableError` (an error of the setup, such as bad encryption keys, as it is).
 */
function lazyConnection(options: CascadeConnectionOptions, routes: RouteCatalog | undefined): ClientSource {
  let connecting: Promise<CascadeClient> | undefined;
  return {
    client() {
      connecting ??= CascadeClient.connect({ ...options, routes }).catch((error: unknown) => {
        connecting = undefined;
        if (CascadeError.isInstance(error) || error instanceof TypeError) throw error;
        throw new TemporalServerUnreachableError({
          message: `could not connect to the Temporal server${options.address ? ` at ${options.address}` : ''}: ${(error as Error).message}`,
          cause: error,
        });
      });
      return connecting;
    },
    async close() {
      const pending = connecting;
      connecting = undefined;
      const client = await pending?.catch(() => undefined);
      await client?.close();
    },
  };
}
