/** The version of each running service, by name, as results files and lab reports record them. */
export function serviceVersions(records: readonly { name: string; version?: string }[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const r of records) if (r.version) out[r.name] = r.version;
  return out;
}
