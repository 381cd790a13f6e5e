/**
 * What every container of the stack has in common: a testcontainers GenericContainer on the
 * stack's own network under its alias, with ports published on 127.0.0.1 only, and a wait
 * strategy that is the service's real health check (health-wait.ts). Loaded only when a
 * container starts: testcontainers takes about 0.4 s to import.
 */
import { GenericContainer } from 'testcontainers';

/** A stack container: the testcontainers builder with the two things it lacks, an alias-only network and loopback-only ports. */
export class StackContainer extends GenericContainer {
  /**
   * Joins only the stack's network, under `alias`. (testcontainers' withNetworkAliases() also
   * leaves the container on the default bridge; a network fault must really cut it off.)
   */
  onNetwork(network: string, alias: string): this {
    this.networkMode = network;
    this.createOpts.NetworkingConfig = { EndpointsConfig: { [network]: { Aliases: [alias] } } };
    return this;
  }

  /** Publishes a container port on 127.0.0.1:<host> (testcontainers binds every interface). */
  publishOnLoopback(container: number, host: number): this {
    this.withExposedPorts({ container, host });
    this.hostConfig.PortBindings = { ...this.hostConfig.PortBindings, [`${container}/tcp`]: [{ HostIp: '127.0.0.1', HostPort: String(host) }] };
    return this;
  }
}
