import { clickhouseService } from './clickhouse/service.ts';
import { flinkServices, secondTaskManagerService } from './flink/service.ts';
import { extraBrokerServices } from './kafka/extra-broker.ts';
import { kafkaService } from './kafka/service.ts';
import { pipelineExporterService } from './prometheus/exporter-service.ts';
import { prometheusService } from './prometheus/service.ts';
import type { ServiceName, ServiceSpec } from './service.ts';

/** Every service of the local backend, in a valid start order (the realistic shape's extras last, ADR 0091). */
export const SERVICES: readonly ServiceSpec[] = [kafkaService, clickhouseService, ...flinkServices, prometheusService, pipelineExporterService, ...extraBrokerServices, secondTaskManagerService];

export function serviceSpec(name: ServiceName): ServiceSpec {
  const spec = SERVICES.find((s) => s.name === name);
  if (!spec) throw new Error(`unknown service ${name}`);
  return spec;
}
