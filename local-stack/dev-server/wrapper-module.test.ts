import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findExecutableOnPath } from './executable-lookup';
import { renderTemplate, renderWrapperGoMod, wrapperTemplatePath } from './wrapper-module';

describe('renderTemplate', () => {
  it('fills placeholders', () => {
    expect(renderTemplate('a {{x}} b {{y}}', { x: '1', y: '2' })).toBe('a 1 b 2');
  });

  it('throws on a placeholder without a value', () => {
    expect(() => renderTemplate('a {{x}}', {})).toThrow('template placeholder {{x}} has no value');
  });
});

describe('renderWrapperGoMod', () => {
  it('requires the CLI, replaces cliext and declares the CLI main package as a tool', () => {
    const text = renderWrapperGoMod({ cliVersion: 'v1.9.1', cliextVersion: 'v0.0.0-20260914181643-0123456789ab' });
    expect(text).toContain('module temporal-cascade.local/temporal-cli');
    expect(text).toContain('require github.com/temporalio/cli v1.9.1');
    expect(text).toContain(
      'replace github.com/temporalio/cli/cliext => github.com/temporalio/cli/cliext v0.0.0-20260914181643-0123456789ab',
    );
    expect(text).toContain('tool github.com/temporalio/cli/cmd/temporal');
    expect(text).not.toContain('{{');
  });

  it('leaves out the replace line when no cliext version is given (releases before v1.6.0)', () => {
    expect(renderWrapperGoMod({ cliVersion: 'v1.5.1' })).not.toMatch(/^replace /m);
  });

  it.each([['v1.9.1\nreplace evil => ./evil'], ['latest'], ['1.9.1'], ['']])('rejects the cliVersion %j', (version) => {
    expect(() => renderWrapperGoMod({ cliVersion: version })).toThrow(
      /cliVersion must be a Go module version like v1\.9\.1/,
    );
  });

  it('rejects a cliext version that is not a version', () => {
    expect(() => renderWrapperGoMod({ cliVersion: 'v1.9.1', cliextVersion: 'main' })).toThrow(
      /cliextVersion must be a Go module version/,
    );
  });

  it('reads the template kept in dev-server/wrapper-module', () => {
    expect(readFileSync(wrapperTemplatePath(), 'utf8')).toContain('{{cliVersion}}');
  });

  const go = findExecutableOnPath('go', process.env.PATH);
  (go ? it : it.skip)('renders a go.mod that go itself parses', () => {
    const directory = mkdtempSync(join(tmpdir(), 'wrapper-gomod-'));
    try {
      writeFileSync(join(directory, 'go.mod'), renderWrapperGoMod({ cliVersion: 'v1.9.1', cliextVersion: 'v0.1.0' }));
      const parsed = JSON.parse(
        execFileSync(go as string, ['mod', 'edit', '-json'], { cwd: directory, encoding: 'utf8' }),
      ) as {
        Require: Array<{ Path: string; Version: string }>;
        Replace: Array<{ Old: { Path: string }; New: { Path: string; Version: string } }>;
        Tool: Array<{ Path: string }>;
      };
      expect(parsed.Require).toEqual([{ Path: 'github.com/temporalio/cli', Version: 'v1.9.1' }]);
      expect(parsed.Replace[0]).toMatchObject({
        Old: { Path: 'github.com/temporalio/cli/cliext' },
        New: { Version: 'v0.1.0' },
      });
      expect(parsed.Tool).toEqual([{ Path: 'github.com/temporalio/cli/cmd/temporal' }]);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
