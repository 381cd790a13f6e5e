import type { StackBackend } from '../stack/backend.ts';
import type { ServiceName } from '../stack/service.ts';

/**
 * The stack as a run sees it when other runs use it at the same time (the exercise grader runs two
 * at once): killing or stopping a service would fail the other runs' jobs, so it is refused with a
 * sentence that names the step's author's way out (`ctx.options.sharedStack`: leave the fault out).
 */
export function sharedStackView(backend: StackBackend): StackBackend {
  const refuse = (what: string, service?: ServiceName) =>
    Promise.reject(new Error(`${what}${service ? ` ${service}` : ''} refused: other runs share this stack (sharedStack); a lab leaves its fault steps out when ctx.options.sharedStack is set`));
  return {
    name: backend.name,
    up: (o) => backend.up(o),
    down: () => refuse('stopping services'),
    status: () => backend.status(),
    endpoints: () => backend.endpoints(),
    dead: () => backend.dead(),
    kill: (service) => refuse('killing', service),
    logs: (service, lines) => backend.logs(service, lines),
    usage: (service) => backend.usage(service),
    jcmd: (service, args) => backend.jcmd(service, args),
    sharedDir: (name) => backend.sharedDir(name),
    // Pauses and network faults are faults too: absent, as on a backend that cannot cause them.
  };
}
