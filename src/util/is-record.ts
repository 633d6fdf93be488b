/** Whether a value parsed from outside (JSON, a peer's frame) is a plain object to read fields from. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
