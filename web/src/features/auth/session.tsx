import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react'
import type { ReactNode } from 'react'
import { api } from '../../api/client'
import { read } from '@clipstream/frontend-kit/errors'
import type { Me } from '../../api/types'

type Session = {
  user: Me | null
  // False until the first /auth/session answer, so pages do not flash "log in".
  ready: boolean
  setUser: (user: Me | null) => void
  logout: () => Promise<void>
}

const SessionContext = createContext<Session>({
  user: null,
  ready: true,
  setUser: () => undefined,
  logout: async () => undefined,
})

export function SessionProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<Me | null>(null)
  const [ready, setReady] = useState(false)

  useEffect(() => {
    let live = true
    // /auth/session answers 200 with user null when signed out: no failed request logged.
    read(api.auth.session.$get())
      .then((body) => live && setUser(body.user))
      .catch(() => live && setUser(null))
      .finally(() => live && setReady(true))
    return () => {
      live = false
    }
  }, [])

  const logout = useCallback(async () => {
    await api.auth.logout.$post().catch(() => undefined)
    setUser(null)
  }, [])

  const value = useMemo(() => ({ user, ready, setUser, logout }), [user, ready, logout])
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>
}

export function useSession() {
  return useContext(SessionContext)
}
