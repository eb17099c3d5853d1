import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { CascadeError } from '../contracts/cascade-error';
import { failureTypes } from '../contracts/failure-types';
import { searchAttributeDefinitions } from '../contracts/search-attributes';

/** docker-compose.yml does not have the structure the project relies on; `problems` lists each defect. */
export class ComposeCheckError extends CascadeError {
  declare readonly type: typeof failureTypes.invalidComposeFile;
  override readonly name = 'ComposeCheckError';
  /** The file checked, for messages. */
  readonly source: string;
  readonly problems: string[];

  constructor(options: { source: string; problems: string[] }) {
    const { source, problems } = options;
    super({
      type: failureTypes.invalidComposeFile,
      message: `${source}: ${problems.length} problem(s):\n${problems.map((problem) => `- ${problem}`).join('\n')}`,
    });
    this.source = source;
    this.problems = problems;
  }
}

export interface CheckComposeOptions {
  /** For messages. @default 'docker-compose.yml' */
  source?: string;
  /** Search attributes that must be registered. @default searchAttributeDefinitions() */
  searchAttributes?: ReadonlyArray<{ name: string; type: string }>;
}

/** Services the file must define, by role. The registration service is found by its command instead. */
export const requiredServices = ['postgresql', 'temporal', 'temporal-ui', 'worker', 'codec-server', 'serve'] as const;

const dependencyConditions = ['service_started', 'service_healthy', 'service_completed_successfully'];

type Service = Record<string, unknown>;

/**
 * Checks the structure of a docker-compose file's text (there is no Docker engine in CI to run it):
 * required services, images pinned to a tag other than `latest`, published ports, Temporal as
 * `temporalio/server` after a schema service running temporal-sql-tool (`auto-setup` is deprecated),
 * the worker's TEMPORAL_ADDRESS, health check, env file and mounted routes, the codec server's health
 * check and loopback-only port when it takes requests without a token, every search attribute
 * registered with its type, and depends_on naming existing services with health checks where it
 * waits for health. Throws `ComposeCheckError` listing every problem.
 */
export function checkCompose(text: string, options: CheckComposeOptions = {}): void {
  const source = options.source ?? 'docker-compose.yml';
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch (error) {
    throw new ComposeCheckError({ source, problems: [`not valid YAML: ${(error as Error).message}`] });
  }
  const services =
    isRecord(document) && isRecord(document.services) ? (document.services as Record<string, Service>) : undefined;
  if (!services) throw new ComposeCheckError({ source, problems: ['has no `services` mapping'] });

  const problems: string[] = [];
  for (const name of requiredServices) {
    if (!isRecord(services[name])) problems.push(`service "${name}" is missing`);
  }
  for (const [name, service] of Object.entries(services)) {
    if (!isRecord(service)) {
      problems.push(`service "${name}" is not a mapping`);
      continue;
    }
    problems.push(...checkImage(name, service));
    problems.push(...checkDependencies(name, service, services));
  }
  problems.push(...checkTemporal(services));
  problems.push(...checkWorker(services));
  problems.push(...checkCodecServer(services));
  problems.push(...checkServe(services));
  problems.push(
    ...checkSearchAttributeRegistration(services, options.searchAttributes ?? searchAttributeDefinitions()),
  );
  problems.push(...findDependencyCycles(services));
  if (problems.length > 0) throw new ComposeCheckError({ source, problems });
}

/** Reads and checks a compose file. */
export function checkComposeFile(path: string, options: Omit<CheckComposeOptions, 'source'> = {}): void {
  checkCompose(readFileSync(path, 'utf8'), { ...options, source: path });
}

function checkImage(name: string, service: Service): string[] {
  if (service.image === undefined) {
    return service.build === undefined ? [`service "${name}" has neither image nor build`] : [];
  }
  if (typeof service.image !== 'string') return [`service "${name}": image must be a string`];
  const image = service.image;
  if (image.includes('@sha256:')) return [];
  // The tag is what follows the last ':' after the last '/' (a registry may carry a port).
  const lastPart = image.slice(image.lastIndexOf('/') + 1);
  const tag = lastPart.includes(':') ? lastPart.slice(lastPart.indexOf(':') + 1) : undefined;
  if (!tag) return [`service "${name}": image ${image} is not pinned to a tag`];
  if (tag === 'latest') return [`service "${name}": image ${image} uses the "latest" tag; pin a version`];
  if (tag.includes('${'))
    return [`service "${name}": image ${image} takes its tag from a variable; pin it in the file`];
  return [];
}

function dependencyEntries(service: Service): Array<{ name: string; condition: string }> {
  const dependsOn = service.depends_on;
  if (Array.isArray(dependsOn)) return dependsOn.map((name) => ({ name: String(name), condition: 'service_started' }));
  if (isRecord(dependsOn)) {
    return Object.entries(dependsOn).map(([name, value]) => ({
      name,
      condition: isRecord(value) && typeof value.condition === 'string' ? value.condition : 'service_started',
    }));
  }
  return [];
}

function checkDependencies(name: string, service: Service, services: Record<string, Service>): string[] {
  const problems: string[] = [];
  for (const dependency of dependencyEntries(service)) {
    const target = services[dependency.name];
    if (!isRecord(target)) {
      problems.push(`service "${name}" depends on "${dependency.name}", which does not exist`);
      continue;
    }
    if (!dependencyConditions.includes(dependency.condition)) {
      problems.push(
        `service "${name}": depends_on.${dependency.name}.condition "${dependency.condition}" is not one of ${dependencyConditions.join(', ')}`,
      );
    }
    if (dependency.condition === 'service_healthy' && !isRecord(target.healthcheck)) {
      problems.push(
        `service "${name}" waits for "${dependency.name}" to be healthy, but "${dependency.name}" has no healthcheck`,
      );
    }
  }
  return problems;
}

function checkTemporal(services: Record<string, Service>): string[] {
  const problems: string[] = [];
  const temporal = services.temporal;
  if (isRecord(temporal)) {
    if (typeof temporal.image !== 'string' || !/^temporalio\/server:1\.\d+/.test(temporal.image)) {
      problems.push(
        'service "temporal": image must be temporalio/server pinned to a 1.x tag (temporalio/auto-setup is deprecated)',
      );
    }
    const schema = findSchemaService(services);
    if (!schema) {
      problems.push('no service sets up the schemas with temporal-sql-tool (a temporalio/admin-tools one-shot)');
    } else if (
      !dependencyEntries(temporal).some(
        (dependency) => dependency.name === schema && dependency.condition === 'service_completed_successfully',
      )
    ) {
      problems.push(`service "temporal" must wait for "${schema}" to complete successfully`);
    }
    if (!publishedTargets(temporal).includes(7233)) problems.push('service "temporal" does not publish port 7233');
    if (!isRecord(temporal.healthcheck)) problems.push('service "temporal" has no healthcheck');
    if (!dependencyEntries(temporal).some((dependency) => dependency.name === 'postgresql')) {
      problems.push('service "temporal" does not depend on "postgresql"');
    }
  }
  const postgresql = services.postgresql;
  if (isRecord(postgresql)) {
    if (typeof postgresql.image !== 'string' || !postgresql.image.startsWith('postgres:')) {
      problems.push('service "postgresql": image must be postgres:<version>');
    }
    if (!isRecord(postgresql.healthcheck)) problems.push('service "postgresql" has no healthcheck');
  }
  const ui = services['temporal-ui'];
  if (isRecord(ui)) {
    if (typeof ui.image !== 'string' || !ui.image.startsWith('temporalio/ui:'))
      problems.push('service "temporal-ui": image must be temporalio/ui:<version>');
    if (!publishedTargets(ui).includes(8080)) problems.push('service "temporal-ui" does not publish its port 8080');
  }
  return problems;
}

function checkWorker(services: Record<string, Service>): string[] {
  const worker = services.worker;
  if (!isRecord(worker)) return [];
  const problems: string[] = [];
  if (worker.build === undefined) problems.push('service "worker" must be built from this repository (build: .)');
  const address = environmentOf(worker).TEMPORAL_ADDRESS;
  if (!address) {
    problems.push('service "worker" has no TEMPORAL_ADDRESS in its environment');
  } else {
    const [host, port] = address.split(':');
    if (!isRecord(services[host]) || port !== '7233') {
      problems.push(
        `service "worker": TEMPORAL_ADDRESS=${address} must name a service of this file on port 7233 (e.g. temporal:7233)`,
      );
    }
  }
  const dependencies = new Map(dependencyEntries(worker).map((dependency) => [dependency.name, dependency.condition]));
  if (dependencies.get('temporal') !== 'service_healthy')
    problems.push('service "worker" must wait for "temporal" to be healthy');
  const registration = findRegistrationService(services);
  if (registration && dependencies.get(registration) !== 'service_completed_successfully') {
    problems.push(`service "worker" must wait for "${registration}" to complete successfully`);
  }
  if (!isRecord(worker.healthcheck)) problems.push('service "worker" has no healthcheck');
  if (worker.env_file === undefined) problems.push('service "worker" reads no env_file (the provider keys)');
  const volumes = Array.isArray(worker.volumes) ? worker.volumes.map(String) : [];
  const configPath = environmentOf(worker).CASCADE_CONFIG;
  if (!configPath || !volumes.some((volume) => volume.includes(`:${configPath}`))) {
    problems.push('service "worker" must mount a routes file at its CASCADE_CONFIG');
  }
  return problems;
}

function checkCodecServer(services: Record<string, Service>): string[] {
  const codec = services['codec-server'];
  if (!isRecord(codec)) return [];
  const problems: string[] = [];
  if (!/codec-server/.test(commandText(codec)))
    problems.push('service "codec-server" does not run `cascade codec-server`');
  if (!isRecord(codec.healthcheck)) problems.push('service "codec-server" has no healthcheck');
  if (/--no-auth/.test(commandText(codec))) {
    const ports = Array.isArray(codec.ports)
      ? codec.ports.map((entry: unknown) => (isRecord(entry) ? entry : String(entry)))
      : [];
    const loopbackOnly = ports.every((entry) =>
      isRecord(entry) ? entry.host_ip === '127.0.0.1' : String(entry).startsWith('127.0.0.1:'),
    );
    if (!loopbackOnly)
      problems.push('service "codec-server" takes requests without a token: publish its port on 127.0.0.1 only');
  }
  return problems;
}

function checkServe(services: Record<string, Service>): string[] {
  const serve = services.serve;
  if (!isRecord(serve)) return [];
  const problems: string[] = [];
  if (!/\bserve\b/.test(commandText(serve))) problems.push('service "serve" does not run `cascade serve`');
  if (!isRecord(serve.healthcheck)) problems.push('service "serve" has no healthcheck');
  if (!/readyz|healthz/.test(JSON.stringify(serve.healthcheck ?? ''))) {
    problems.push('service "serve": its healthcheck must ask the API (/readyz or /healthz)');
  }
  if (!environmentOf(serve).TEMPORAL_ADDRESS)
    problems.push('service "serve" has no TEMPORAL_ADDRESS in its environment');
  const volumes = Array.isArray(serve.volumes) ? serve.volumes.map(String) : [];
  const configPath = environmentOf(serve).CASCADE_CONFIG;
  if (!configPath || !volumes.some((volume) => volume.includes(`:${configPath}`))) {
    problems.push('service "serve" must mount a routes file at its CASCADE_CONFIG');
  }
  if (/--no-auth/.test(commandText(serve))) problems.push('service "serve" must not take requests without caller keys');
  return problems;
}

/** Name of the service whose command runs temporal-sql-tool (directly or through a mounted script). */
function findSchemaService(services: Record<string, Service>): string | undefined {
  return Object.entries(services).find(([, service]) => {
    if (!isRecord(service)) return false;
    const volumes = Array.isArray(service.volumes) ? service.volumes.map(String).join(' ') : '';
    return /temporal-sql-tool|setup-postgres/.test(`${commandText(service)} ${volumes}`);
  })?.[0];
}

/** Name of the service whose command runs `temporal operator search-attribute create`. */
function findRegistrationService(services: Record<string, Service>): string | undefined {
  return Object.entries(services).find(
    ([, service]) => isRecord(service) && /search-attribute create/.test(commandText(service)),
  )?.[0];
}

function checkSearchAttributeRegistration(
  services: Record<string, Service>,
  definitions: ReadonlyArray<{ name: string; type: string }>,
): string[] {
  const name = findRegistrationService(services);
  if (!name) return ['no service registers the search attributes (`temporal operator search-attribute create ...`)'];
  const service = services[name];
  const problems: string[] = [];
  if (typeof service.image !== 'string' || !service.image.startsWith('temporalio/admin-tools:')) {
    problems.push(`service "${name}" should use the temporalio/admin-tools image`);
  }
  if (
    !dependencyEntries(service).some(
      (dependency) => dependency.name === 'temporal' && dependency.condition === 'service_healthy',
    )
  ) {
    problems.push(`service "${name}" must wait for "temporal" to be healthy`);
  }
  const registered = new Map<string, string>();
  for (const match of commandText(service).matchAll(/--name[=\s]+(\w+)\s+(?:\\\s*)?--type[=\s]+(\w+)/g)) {
    registered.set(match[1], match[2]);
  }
  for (const definition of definitions) {
    const type = registered.get(definition.name);
    if (type === undefined)
      problems.push(`search attribute ${definition.name} (${definition.type}) is not registered by "${name}"`);
    else if (type.toLowerCase() !== definition.type.toLowerCase()) {
      problems.push(
        `search attribute ${definition.name} is registered as ${type} by "${name}", but the code declares ${definition.type}`,
      );
    }
  }
  return problems;
}

function findDependencyCycles(services: Record<string, Service>): string[] {
  const state = new Map<string, 'visiting' | 'done'>();
  const problems: string[] = [];
  const visit = (name: string, path: string[]) => {
    if (state.get(name) === 'done' || !isRecord(services[name])) return;
    if (state.get(name) === 'visiting') {
      problems.push(`depends_on cycle: ${[...path.slice(path.indexOf(name)), name].join(' -> ')}`);
      return;
    }
    state.set(name, 'visiting');
    for (const dependency of dependencyEntries(services[name])) visit(dependency.name, [...path, name]);
    state.set(name, 'done');
  };
  for (const name of Object.keys(services)) visit(name, []);
  return problems;
}

/** Container ports a service publishes, from short (`"8080:8080"`, `"127.0.0.1:7233:7233"`) or long syntax. */
function publishedTargets(service: Service): number[] {
  if (!Array.isArray(service.ports)) return [];
  return service.ports.flatMap((entry: unknown) => {
    if (isRecord(entry)) return entry.published === undefined ? [] : [Number(entry.target)];
    const parts = String(entry).split('/')[0].split(':');
    return parts.length >= 2 ? [Number(parts[parts.length - 1])] : [];
  });
}

function environmentOf(service: Service): Record<string, string> {
  const environment = service.environment;
  if (Array.isArray(environment)) {
    return Object.fromEntries(
      environment.map((entry) => {
        const text = String(entry);
        const equals = text.indexOf('=');
        return equals < 0 ? [text, ''] : [text.slice(0, equals), text.slice(equals + 1)];
      }),
    );
  }
  if (isRecord(environment))
    return Object.fromEntries(
      Object.entries(environment).map(([key, value]) => [key, value === null ? '' : String(value)]),
    );
  return {};
}

function commandText(service: Service): string {
  const parts = [service.entrypoint, service.command].flatMap((part) =>
    Array.isArray(part) ? part.map(String) : part === undefined ? [] : [String(part)],
  );
  return parts.join(' ');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

if (require.main === module) {
  const path = process.argv[2] ?? join(__dirname, '..', 'docker-compose.yml');
  try {
    checkComposeFile(path);
    console.log(`${path}: OK`);
  } catch (error) {
    console.error((error as Error).message);
    process.exitCode = 1;
  }
}
