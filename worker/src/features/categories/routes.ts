import { Hono } from 'hono'
import type { AppEnv } from '../../context'
import { categories, parentCategories } from '../../db/schema'

export const categoryRoutes = new Hono<AppEnv>().get('/', async (c) => {
  const [parents, children] = await Promise.all([
    c.var.db.select().from(parentCategories).orderBy(parentCategories.position),
    c.var.db.select().from(categories).orderBy(categories.name),
  ])
  c.header('Cache-Control', 'public, max-age=300')
  return c.json({
    categories: parents.map((p) => ({
      ...p,
      children: children.filter((ch) => ch.parentId === p.id),
    })),
  })
})
