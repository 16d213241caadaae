import type { Compilable, CompiledQuery, Kysely } from 'kysely';

/**
 * The SQL of every prepared query: a fixed, small set, which a database that keeps server-side
 * statements (PostgreSQL) may parse and plan once per connection instead of once per call.
 */
export const preparedSql = new Set<string>();

/** Stands for the argument at `index` while a query is built; it must reach the SQL as a bound value. */
class Slot {
  constructor(readonly index: number) {}
}

/**
 * A query that is built and compiled once. Kysely builds an operation tree and compiles it to SQL
 * on every call, which costs more than SQLite takes to find a row by its key; a hot lookup's SQL
 * never changes, only its values. `build` is called once (`database` is read lazily, so a store
 * may declare its queries as fields), with placeholders for its arguments,
 * and must pass each of them to the query as a plain value (`where(column, '=', argument)`), not
 * inspect them; later calls bind the real arguments in their places.
 */
export function prepared<D, A extends unknown[], R>(
  database: () => Kysely<D>,
  arity: A['length'],
  build: (db: Kysely<D>, ...args: A) => Compilable<R>,
): (...args: A) => Promise<R[]> {
  let compiled: CompiledQuery<R> | undefined;
  let binding: ((args: A) => unknown[]) | undefined;
  return async (...args: A) => {
    if (!compiled) {
      compiled = build(database(), ...(Array.from({ length: arity }, (_, index) => new Slot(index)) as A)).compile();
      binding = bindingOf(compiled.parameters, arity);
      preparedSql.add(compiled.sql);
    }
    const { rows } = await database().executeQuery<R>({ ...compiled, parameters: binding!(args) });
    return rows;
  };
}

/** Where each argument goes among the compiled query's parameters (the rest are constants of the query). */
function bindingOf(parameters: readonly unknown[], arity: number): (args: unknown[]) => unknown[] {
  const used = new Set(parameters.filter((parameter): parameter is Slot => parameter instanceof Slot).map((slot) => slot.index));
  if (used.size !== arity) throw new Error(`a prepared query must bind each of its ${arity} arguments as a value`);
  return (args) => parameters.map((parameter) => (parameter instanceof Slot ? args[parameter.index] : parameter));
}
