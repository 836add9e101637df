import { describe, expect, it } from 'vitest'
import { call } from '../../../test/helpers'

describe('health', () => {
  it('reports every binding it can reach', async () => {
    const res = await call('GET', '/api/health')
    expect(res.status).toBe(200)
    expect(res.json).toEqual({
      ok: true,
      checks: { db: 'ok', media: 'ok', recs: 'ok', config: 'ok', feedState: 'ok', queues: 'ok' },
    })
  })

  it('lists the seeded categories, each parent with 3-6 children', async () => {
    const res = await call('GET', '/api/categories')
    expect(res.json.categories.length).toBeGreaterThanOrEqual(8)
    for (const parent of res.json.categories) {
      expect(parent.children.length).toBeGreaterThanOrEqual(3)
      expect(parent.children.length).toBeLessThanOrEqual(6)
    }
  })
})
