import { classifyGoFailure, goFailureKinds } from './go-failure';

// Real stderr of go 1.26, captured on this machine (hosts and ports shortened where noted).
const samples = {
  checksumDatabaseRefused:
    'go: github.com/google/uuid@v1.6.0: verifying go.mod: github.com/google/uuid@v1.6.0/go.mod: initializing sumdb.Client: ' +
    'checking tree#69322702: Get "https://127.0.0.1:9/tile/8/3/000.p/4": dial tcp 127.0.0.1:9: connect: connection refused\n',
  checksumDatabaseNoHost:
    'go: github.com/google/uuid@v1.6.0: verifying go.mod: github.com/google/uuid@v1.6.0/go.mod: Get "https://sum.golang.org/lookup/' +
    'github.com/google/uuid@v1.6.0": dial tcp: lookup sum.golang.org on 10.255.255.53:53: no such host\n',
  checksumDatabaseModule:
    'go: github.com/temporalio/cli@v1.5.1: verifying module: github.com/temporalio/cli@v1.5.1: Get "https://sum.golang.org/lookup/' +
    'github.com/temporalio/cli@v1.5.1": dial tcp 142.250.0.1:443: i/o timeout\n',
  checksumMismatch:
    'verifying github.com/temporalio/cli@v1.5.1: checksum mismatch\n\tdownloaded: h1:abc\n\tsum.golang.org: h1:def\n\n' +
    'SECURITY ERROR\nThis download does NOT match the one reported by the checksum server.\n',
  proxyRefused:
    'go: github.com/temporalio/cli/cmd/temporal@v1.5.1: github.com/temporalio/cli/cmd/temporal@v1.5.1: Get "https://127.0.0.1:9/' +
    'github.com/temporalio/cli/cmd/temporal/@v/v1.5.1.info": dial tcp 127.0.0.1:9: connect: connection refused\n',
  versionNotAvailable:
    'go: github.com/temporalio/cli/cmd/temporal@v1.6.0: github.com/temporalio/cli/cmd/temporal@v1.6.0: reading https://proxy.golang.org/' +
    'github.com/temporalio/cli/cmd/temporal/@v/v1.6.0.info: 403 Forbidden\n\tserver response: This module version is not available.\n',
  replaceDirective:
    'go: downloading github.com/temporalio/cli v1.9.1\ngo: github.com/temporalio/cli/cmd/temporal@v1.9.1 (in github.com/temporalio/cli@v1.9.1):\n' +
    '\tThe go.mod file for the module providing named packages contains one or\n\tmore replace directives. It must not contain directives that would cause\n' +
    '\tit to be interpreted differently than if it were the main module.\n',
  goTooOld: 'go: go.mod requires go >= 1.99.0 (running go 1.26.8; GOTOOLCHAIN=local)\n',
  compileError: '# github.com/temporalio/cli/temporalcli\ntemporalcli/commands.go:12:2: undefined: foo\n',
};

describe('classifyGoFailure', () => {
  it.each([
    ['checksumDatabaseRefused', goFailureKinds.checksumDatabaseUnreachable],
    ['checksumDatabaseNoHost', goFailureKinds.checksumDatabaseUnreachable],
    ['checksumDatabaseModule', goFailureKinds.checksumDatabaseUnreachable],
    ['checksumMismatch', goFailureKinds.checksumMismatch],
    ['proxyRefused', goFailureKinds.moduleProxyUnreachable],
    ['versionNotAvailable', goFailureKinds.moduleNotFound],
    ['replaceDirective', goFailureKinds.replaceDirective],
    ['goTooOld', goFailureKinds.goTooOld],
    ['compileError', goFailureKinds.unknown],
  ] as const)('classifies %s as %s', (sample, kind) => {
    expect(classifyGoFailure(samples[sample]).kind).toBe(kind);
  });

  it('names the Go version the module needs', () => {
    expect(classifyGoFailure(samples.goTooOld).explanation).toContain('>= 1.99.0');
  });

  it('says plainly that the checksum database could not be reached', () => {
    expect(classifyGoFailure(samples.checksumDatabaseNoHost).explanation).toBe(
      'the Go checksum database (sum.golang.org) could not be reached',
    );
  });
});
