/**
 * Stack profiles: named service lists for `npm run stack up --profile NAME`. The default profile
 * is the stack every lab but phase 5 runs on; `realistic` adds two brokers and a second
 * TaskManager (ADR 0091). A lab never names a profile: it lists its services.
 */
import { UsageError } from './errors.ts';
import { DEFAULT_SERVICE_NAMES, REALISTIC_EXTRA_NAMES, type ServiceName } from './service.ts';

export const PROFILES = {
  default: DEFAULT_SERVICE_NAMES,
  realistic: [...DEFAULT_SERVICE_NAMES, ...REALISTIC_EXTRA_NAMES],
} as const satisfies Record<string, readonly ServiceName[]>;

export type ProfileName = keyof typeof PROFILES;

export const PROFILE_NAMES = Object.keys(PROFILES) as ProfileName[];

/** The services of a profile; one sentence listing the valid names for any other. */
export function profileServices(name: string): readonly ServiceName[] {
  if (!Object.hasOwn(PROFILES, name)) throw new UsageError(`Unknown profile "${name}": use --profile ${PROFILE_NAMES.join(' or ')}.`);
  return PROFILES[name as ProfileName];
}

/** Services only the local backend runs: asking another backend for them gets this sentence. */
export function localOnlyRefusal(services: readonly ServiceName[] | undefined, backend: string): string | undefined {
  const extras = (services ?? []).filter((s) => REALISTIC_EXTRA_NAMES.includes(s));
  if (extras.length === 0) return undefined;
  return `The realistic shape (${extras.join(', ')}) runs on the local backend only for now: leave out --backend ${backend} (ADR 0091).`;
}
