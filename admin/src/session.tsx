import { createContext, useContext } from 'react'
import type { Me } from './api/types'

export const SessionContext = createContext<Me | null>(null)

export function useMe(): Me | null {
  return useContext(SessionContext)
}
