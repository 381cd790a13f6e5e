/** One sentence for the failure a learner meets first: a stack started before Iceberg's jars were on the gateway's class path. */
export function explainMissingIceberg(err: unknown): never {
  const message = err instanceof Error ? err.message : String(err);
  if (/factory for identifier 'iceberg'|org\.apache\.iceberg/.test(message) && /not find|NoClassDef|ClassNotFound/.test(message)) {
    throw new Error("The running stack's SQL Gateway has no Iceberg jars (it was started before they were added): run npm run stack down, then npm run stack up.", { cause: err });
  }
  throw err;
}
