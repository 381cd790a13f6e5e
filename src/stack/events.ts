import type { ServiceName } from './service.ts';

/** What the stack tells its caller while it works; the CLI turns these into lines. */
export type StackEvent =
  | { kind: 'phase'; service: ServiceName | 'jars' | 'images'; phase: 'preparing' | 'prepared' | 'starting' | 'reachable' | 'healthy' | 'kept' | 'repairing' | 'failed' | 'stopping' | 'stopped'; elapsedMs: number; detail?: string; /** On 'healthy': the service's URL. */ url?: string }
  | { kind: 'notice'; message: string };

export type StackListener = (event: StackEvent) => void;

export const silent: StackListener = () => {};
