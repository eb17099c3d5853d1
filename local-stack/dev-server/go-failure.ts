/** Why a `go install` / `go build` failed, read from its stderr. */
export const goFailureKinds = {
  /** sum.golang.org (or the configured GOSUMDB) could not be reached; retrying with GOSUMDB=off can help. */
  checksumDatabaseUnreachable: 'checksum-database-unreachable',
  /** A download did not match its recorded checksum. Never retried with GOSUMDB=off: it may be tampering. */
  checksumMismatch: 'checksum-mismatch',
  /** The module proxy (or a VCS host) could not be reached. */
  moduleProxyUnreachable: 'module-proxy-unreachable',
  /** The module or version is not on the proxy (404/410, or the proxy refuses it). */
  moduleNotFound: 'module-not-found',
  /** `go install pkg@version` refuses a go.mod with `replace` directives. */
  replaceDirective: 'replace-directive',
  /** The module needs a newer Go than the one installed (with GOTOOLCHAIN=local). */
  goTooOld: 'go-too-old',
  /** Anything else (compile errors, disk full...). */
  unknown: 'unknown',
} as const;
export type GoFailureKind = (typeof goFailureKinds)[keyof typeof goFailureKinds];

export interface GoFailure {
  kind: GoFailureKind;
  /** One sentence for a person, naming what to do. */
  explanation: string;
}

/** Classifies go's stderr. Checks the most specific causes first: a checksum mismatch also says "verifying". */
export function classifyGoFailure(stderr: string): GoFailure {
  if (/SECURITY ERROR|checksum mismatch/i.test(stderr)) {
    return {
      kind: goFailureKinds.checksumMismatch,
      explanation: 'a downloaded module does not match its checksum; not retrying without verification',
    };
  }
  if (/contains one or\s+more replace directives/i.test(stderr)) {
    return {
      kind: goFailureKinds.replaceDirective,
      explanation:
        'this Temporal CLI release has `replace` directives in its go.mod, which `go install pkg@version` rejects',
    };
  }
  const tooOld = /requires go >= ?([0-9][0-9.]*[0-9])|toolchain not available/i.exec(stderr);
  if (tooOld) {
    const needed = tooOld[1];
    return {
      kind: goFailureKinds.goTooOld,
      explanation: `the Temporal CLI needs a newer Go${needed ? ` (>= ${needed})` : ''}; upgrade Go, or set GOTOOLCHAIN=auto to let go fetch one`,
    };
  }
  if (/verifying (module|go\.mod)|verifying \S+@\S+|sum\.golang\.org|sumdb|checksum database|GOSUMDB/i.test(stderr)) {
    return {
      kind: goFailureKinds.checksumDatabaseUnreachable,
      explanation: 'the Go checksum database (sum.golang.org) could not be reached',
    };
  }
  if (
    /dial tcp|no such host|i\/o timeout|connection refused|TLS handshake timeout|network is unreachable/i.test(stderr)
  ) {
    return {
      kind: goFailureKinds.moduleProxyUnreachable,
      explanation: 'the Go module proxy could not be reached; check GOPROXY and the network',
    };
  }
  if (/404 Not Found|410 Gone|403 Forbidden|not available|unknown revision|invalid version/i.test(stderr)) {
    return {
      kind: goFailureKinds.moduleNotFound,
      explanation: 'the module version is not available from the Go module proxy',
    };
  }
  return { kind: goFailureKinds.unknown, explanation: 'go failed; see its output above' };
}
