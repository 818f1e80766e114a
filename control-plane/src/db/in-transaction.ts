import type { Database, Db } from "./open-database.ts";

/**
 * Runs `work` in a transaction: a new one when given the database client, the
 * caller's when given a transaction already. A change and its audit event commit together.
 */
export function inTransaction<T>(db: Db | Database, work: (tx: Db) => Promise<T>): Promise<T> {
  if ("$transaction" in db && typeof db.$transaction === "function") {
    return (db as Database).$transaction((tx) => work(tx));
  }
  return work(db);
}
