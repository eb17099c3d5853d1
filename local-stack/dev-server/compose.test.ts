import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { checkCompose, checkComposeFile, ComposeCheckError } from '../../scripts/check-compose';

const composePath = join(__dirname, '..', '..', 'docker-compose.yml');
const composeText = readFileSync(composePath, 'utf8');

/** The real file with one edit, made on the YAML document so comments and layout stay. */
function brokenCopy(edit: (document: ReturnType<typeof parseDocument>) => void): string {
  const document = parseDocument(composeText);
  edit(document);
  return document.toString();
}

function problemsOf(text: string): string[] {
  try {
    checkCompose(text);
  } catch (error) {
    if (error instanceof ComposeCheckError) return error.problems;
    throw error;
  }
  return [];
}

describe('docker-compose.yml', () => {
  it('passes the structure check', () => {
    expect(() => checkComposeFile(composePath)).not.toThrow();
  });

  it('fails with a named error when a service is missing', () => {
    const text = brokenCopy((document) => document.deleteIn(['services', 'temporal-ui']));
    expect(() => checkCompose(text)).toThrow(ComposeCheckError);
    expect(problemsOf(text)).toEqual(['service "temporal-ui" is missing']);
  });

  it('rejects a latest tag and an untagged image', () => {
    const text = brokenCopy((document) => {
      document.setIn(['services', 'temporal-ui', 'image'], 'temporalio/ui:latest');
      document.setIn(['services', 'postgresql', 'image'], 'postgres');
    });
    expect(problemsOf(text)).toEqual(
      expect.arrayContaining([
        'service "temporal-ui": image temporalio/ui:latest uses the "latest" tag; pin a version',
        'service "postgresql": image postgres is not pinned to a tag',
      ]),
    );
  });

  it('accepts a registry with a port and a digest pin', () => {
    const text = brokenCopy((document) => {
      document.setIn(['services', 'postgresql', 'image'], 'registry.local:5000/postgres:16');
      document.setIn(['services', 'temporal-ui', 'image'], 'temporalio/ui@sha256:' + 'a'.repeat(64));
    });
    expect(problemsOf(text)).toEqual([
      'service "postgresql": image must be postgres:<version>',
      'service "temporal-ui": image must be temporalio/ui:<version>',
    ]);
  });

  it('requires TEMPORAL_ADDRESS on the worker, naming a service', () => {
    expect(
      problemsOf(
        brokenCopy((document) => document.deleteIn(['services', 'worker', 'environment', 'TEMPORAL_ADDRESS'])),
      ),
    ).toEqual(['service "worker" has no TEMPORAL_ADDRESS in its environment']);
    expect(
      problemsOf(
        brokenCopy((document) =>
          document.setIn(['services', 'worker', 'environment', 'TEMPORAL_ADDRESS'], 'localhost:7233'),
        ),
      ),
    ).toEqual([
      'service "worker": TEMPORAL_ADDRESS=localhost:7233 must name a service of this file on port 7233 (e.g. temporal:7233)',
    ]);
  });

  it('notices a search attribute that is not registered, or registered with another type', () => {
    const problems = problemsOf(
      composeText
        .replace('--name CascadeCustomer --type Keyword', '')
        .replace('--name CascadeCostUsd --type Double', '--name CascadeCostUsd --type Keyword'),
    );
    expect(problems).toEqual([
      'search attribute CascadeCostUsd is registered as Keyword by "register-search-attributes", but the code declares Double',
      'search attribute CascadeCustomer (Keyword) is not registered by "register-search-attributes"',
    ]);
  });

  it('checks the declared attributes against the ones passed in', () => {
    expect(problemsOf(composeText)).toEqual([]);
    expect(() => checkCompose(composeText, { searchAttributes: [{ name: 'CascadeTenant', type: 'Keyword' }] })).toThrow(
      'search attribute CascadeTenant (Keyword) is not registered by "register-search-attributes"',
    );
  });

  it('rejects depends_on naming a service that does not exist, or waiting on health without a healthcheck', () => {
    const text = brokenCopy((document) => {
      document.setIn(['services', 'worker', 'depends_on', 'redis'], { condition: 'service_started' });
      document.deleteIn(['services', 'postgresql', 'healthcheck']);
    });
    expect(problemsOf(text)).toEqual([
      'service "temporal-schema" waits for "postgresql" to be healthy, but "postgresql" has no healthcheck',
      'service "temporal" waits for "postgresql" to be healthy, but "postgresql" has no healthcheck',
      'service "worker" depends on "redis", which does not exist',
      'service "postgresql" has no healthcheck',
    ]);
  });

  it('notices a dependency cycle and a missing published port', () => {
    const text = brokenCopy((document) => {
      document.setIn(['services', 'postgresql', 'depends_on'], { worker: { condition: 'service_started' } });
      document.setIn(['services', 'temporal', 'ports'], ['7234:7234']);
    });
    expect(problemsOf(text)).toEqual([
      'service "temporal" does not publish port 7233',
      'depends_on cycle: postgresql -> worker -> temporal -> postgresql',
      'depends_on cycle: postgresql -> worker -> temporal -> temporal-schema -> postgresql',
    ]);
  });

  it('runs Temporal as temporalio/server after its schemas are set up, not the deprecated auto-setup', () => {
    expect(
      problemsOf(
        brokenCopy((document) => {
          document.setIn(['services', 'temporal', 'image'], 'temporalio/auto-setup:1.29.1');
          document.deleteIn(['services', 'temporal', 'depends_on', 'temporal-schema']);
        }),
      ),
    ).toEqual([
      'service "temporal": image must be temporalio/server pinned to a 1.x tag (temporalio/auto-setup is deprecated)',
      'service "temporal" must wait for "temporal-schema" to complete successfully',
    ]);
    expect(problemsOf(brokenCopy((document) => document.deleteIn(['services', 'temporal-schema'])))).toEqual(
      expect.arrayContaining([
        'service "temporal" depends on "temporal-schema", which does not exist',
        'no service sets up the schemas with temporal-sql-tool (a temporalio/admin-tools one-shot)',
      ]),
    );
  });

  it('gives the worker a health check, an env file and a routes file at CASCADE_CONFIG', () => {
    const text = brokenCopy((document) => {
      document.deleteIn(['services', 'worker', 'healthcheck']);
      document.deleteIn(['services', 'worker', 'env_file']);
      document.deleteIn(['services', 'worker', 'volumes']);
    });
    expect(problemsOf(text)).toEqual([
      'service "worker" has no healthcheck',
      'service "worker" reads no env_file (the provider keys)',
      'service "worker" must mount a routes file at its CASCADE_CONFIG',
    ]);
  });

  it('keeps a codec server that takes requests without a token on the loopback', () => {
    const text = brokenCopy((document) => document.setIn(['services', 'codec-server', 'ports'], ['8888:8888']));
    expect(problemsOf(text)).toEqual([
      'service "codec-server" takes requests without a token: publish its port on 127.0.0.1 only',
    ]);
  });

  it('says so when the text is not YAML or has no services', () => {
    expect(problemsOf('services: [')).toEqual([expect.stringMatching(/^not valid YAML/)]);
    expect(problemsOf('name: x\n')).toEqual(['has no `services` mapping']);
  });
});
