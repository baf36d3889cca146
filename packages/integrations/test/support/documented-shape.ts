/**
 * Where `built` strays from the documented `sample`: a field the documentation does not have, or a
 * value of another JSON type (arrays compared by their first element). Fields the sample has and
 * `built` leaves out are fine: Meta sends several of them only sometimes. Empty: the same shape.
 */
export function shapeDifferences(built: unknown, sample: unknown, path = "$"): string[] {
  const type = (value: unknown) => (value === null ? "null" : Array.isArray(value) ? "array" : typeof value);
  if (type(built) !== type(sample)) return [`${path}: ${type(built)} where the documentation has ${type(sample)}`];
  if (Array.isArray(built) && Array.isArray(sample)) {
    return built.length > 0 && sample.length > 0 ? shapeDifferences(built[0], sample[0], `${path}[0]`) : [];
  }
  if (type(built) !== "object") return [];
  const documented = sample as Record<string, unknown>;
  return Object.entries(built as Record<string, unknown>).flatMap(([key, value]) =>
    key in documented ? shapeDifferences(value, documented[key], `${path}.${key}`) : [`${path}.${key}: not in the documentation`],
  );
}
