// What the orchestrator asks a client process to do, and what the process answers. The job
// travels as JSON in argv; the process then runs its scenarios one by one, each behind a
// handshake on stdio: READY, GO (warm up), WARM, MEASURE, RESULT, so that every process of a
// scenario starts its measured phase together and CPU time (the server's too) is counted over
// that phase only.
import type { HistogramJson } from '../measure/histogram.ts';
import type { TransportName } from '../types.ts';

/** Where the transport's server is. */
export interface Endpoint {
  /** The IPC channel. */
  readonly channel?: string;
  /** The HTTP baseline's port on 127.0.0.1. */
  readonly httpPort?: number;
  /** The Unix-socket baseline's path. */
  readonly udsPath?: string;
  /** The redis-server's Unix socket. */
  readonly redisPath?: string;
  /** A directory for the in-process SQLite databases. */
  readonly sqliteDir?: string;
  /** The bare shared-memory ping-pong's segment name. */
  readonly shmName?: string;
  /** A data directory of its own, for the in-process store. */
  readonly inProcessDir?: string;
}

/** One measured scenario. */
export interface ScenarioSpec {
  /** Its name in the results, e.g. `get 100 B`. */
  readonly name: string;
  readonly op: 'get' | 'getSync' | 'put' | 'list' | 'count' | 'ping' | 'event';
  /** The key read by `get` and `getSync`, the prefix listed by `list` or counted by `count`. */
  readonly key: string;
  /** `list`: the page size. */
  readonly limit?: number;
  readonly inFlight: number;
  readonly warmupMs: number;
  readonly ms: number;
}

/** A client process's work. */
export interface ClientJob {
  readonly transport: TransportName;
  readonly endpoint: Endpoint;
  /** The documents, by key, that `get` and `list` read: the in-process store seeds them. */
  readonly seed: readonly { key: string; bytes: number }[];
  readonly scenarios: readonly ScenarioSpec[];
}

/** What a process reports after each scenario. */
export interface ScenarioReport {
  readonly histogram: HistogramJson;
  readonly ops: number;
  readonly seconds: number;
  /** This process's CPU time during the measured phase, µs. */
  readonly cpuUs: number;
  /** This process's peak resident memory so far, MiB. */
  readonly peakRssMib: number;
}

/** The line a client prints when it is ready for scenario `n`. */
export const READY = 'READY';
/** The line the orchestrator sends to start it (the warm-up). */
export const GO = 'GO';
/** The line a client prints when its warm-up is over. */
export const WARM = 'WARM';
/** The line the orchestrator sends, once every process is warm, to start the measured phase. */
export const MEASURE = 'MEASURE';
/** The prefix of the line carrying a {@link ScenarioReport}. */
export const RESULT = 'RESULT ';
