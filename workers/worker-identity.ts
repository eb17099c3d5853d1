import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import type { RouteCatalog } from '../config/route-catalog';

/**
 * A short hash of the resolved routes a worker serves (models, endpoints, key variables, gates). Two
 * workers with the same fingerprint serve a cascade alike; with different ones, a cascade started for
 * one may fail on the other (its model is not in that worker's configuration) or run other gates.
 */
export function routesFingerprint(routes: RouteCatalog): string {
  return createHash('sha256')
    .update(JSON.stringify({ policies: routes.policies(), limits: routes.limits, models: routes.declaredModels }))
    .digest('hex')
    .slice(0, 12);
}

/** The SDK's default identity (`<pid>@<host>`) followed by ` routes=<fingerprint>`, which other processes read back. */
export function workerIdentity(routes: RouteCatalog): string {
  return `${process.pid}@${hostname()} routes=${routesFingerprint(routes)}`;
}

/** The routes fingerprint in a worker identity; undefined for a worker that does not carry one. */
export function fingerprintOfIdentity(identity: string): string | undefined {
  return / routes=([0-9a-f]{12})$/.exec(identity)?.[1];
}
