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

/**
 * The profile `stack up` was asked for. `npm run stack up --profile realistic` (no `--`) reaches
 * us without the flag: npm takes `--profile` as its own boolean config (npm_config_profile=true)
 * and passes the name on as a positional; `--profile=realistic` becomes npm_config_profile alone.
 * `npm run stack -- up --profile realistic` passes the flag itself. All three mean the same.
 */
export function profileFromCli(flag: string | undefined, extraPositional: string | undefined, npmConfigProfile: string | undefined): string {
  if (flag !== undefined) return flag;
  if (npmConfigProfile === 'true') {
    if (!extraPositional) throw new UsageError(`--profile needs a name: use --profile ${PROFILE_NAMES.join(' or ')}.`);
    return extraPositional;
  }
  return npmConfigProfile || 'default';
}
