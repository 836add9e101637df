import {
  createTableRelationsHelpers,
  extractTablesRelationalConfig,
  type ExtractTablesWithRelations,
  type RelationalSchemaConfig,
} from 'drizzle-orm'
import { DrizzleD1Database, SQLiteD1Session } from 'drizzle-orm/d1'
import { SQLiteAsyncDialect } from 'drizzle-orm/sqlite-core'
import * as schema from './schema'

type Tables = ExtractTablesWithRelations<typeof schema>

// drizzle(d1, { schema }) derives the relational config from the schema on every call, ~1 ms
// of the isolate's CPU per request (bench/recs/feed.mjs profile; every route builds a Db). It
// depends only on the schema module and drizzle only reads it, so it is derived once per
// isolate; the rest (dialect, session, database object) stays per call, as drizzle() makes it.
let relational: RelationalSchemaConfig<Tables> | undefined

function relationalConfig(): RelationalSchemaConfig<Tables> {
  if (!relational) {
    const config = extractTablesRelationalConfig<Tables>(schema, createTableRelationsHelpers)
    relational = { fullSchema: schema, schema: config.tables, tableNamesMap: config.tableNamesMap }
  }
  return relational
}

export const createDb = (d1: D1Database) => {
  const config = relationalConfig()
  const dialect = new SQLiteAsyncDialect()
  const session = new SQLiteD1Session<typeof schema, Tables>(d1, dialect, config, {})
  const db = new DrizzleD1Database<typeof schema>('async', dialect, session, config)
  return Object.assign(db, { $client: d1 })
}
export type Db = ReturnType<typeof createDb>
