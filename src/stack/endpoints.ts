import type { Endpoints } from './backend.ts';
import type { ServiceName } from './service.ts';

/**
 * Endpoints read when used: a lab that declares only some services gets the addresses of those,
 * and `urlOf` throws its sentence (what to start) when the lab reaches for another. `brokers`
 * lists every running broker's client address (node 1 first); without it, the one broker.
 */
export function lazyEndpoints(urlOf: (service: ServiceName) => string, internalKafka: () => string, brokers?: () => readonly string[]): Endpoints {
  return {
    get kafka() {
      return urlOf('kafka');
    },
    get kafkaBootstrap() {
      return brokers ? brokers().join(',') : urlOf('kafka');
    },
    get clickhouseHttp() {
      return urlOf('clickhouse');
    },
    get flinkRest() {
      return urlOf('flink-jobmanager');
    },
    get sqlGateway() {
      return urlOf('sql-gateway');
    },
    get prometheus() {
      return urlOf('prometheus');
    },
    internal: {
      get kafka() {
        return internalKafka();
      },
      get kafkaBootstrap() {
        // Local processes reach each other on the clients' addresses; containers have one broker (ADR 0092).
        return brokers ? brokers().join(',') : internalKafka();
      },
    },
  };
}

/** The bootstrap list of every running broker (ADR 0092): for clients here, or for the services (a Flink job, ClickHouse). */
export function bootstrapServers(ep: Pick<Endpoints, 'kafka' | 'kafkaBootstrap' | 'internal'>, side: 'client' | 'internal' = 'client'): string {
  return side === 'client' ? (ep.kafkaBootstrap ?? ep.kafka) : (ep.internal.kafkaBootstrap ?? ep.internal.kafka);
}
