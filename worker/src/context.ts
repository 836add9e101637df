import type { Db } from './db/client'
import type { Role } from './db/schema'

export type SessionUser = {
  id: string
  username: string
  role: Role
  banned: boolean
}

// What every request handler can read from the context.
export type AppEnv = {
  Bindings: Env
  Variables: {
    requestId: string
    db: Db
    user: SessionUser | null
  }
}
