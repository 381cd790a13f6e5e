import type { Endpoints } from './backend.ts';
import type { ServiceName } from './service.ts';

/**
 * Endpoints read when used: a lab that declares only some services gets the addresses of those,
 * and `urlOf` throws its sentence (what to start) when the lab reaches for another.
 */
export function lazyEndpoints(urlOf: (service: ServiceName) => string, internalKafka: () => string): Endpoints {
  return {
    get kafka() {
      return urlOf('kafka');
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
    },
  };
}
