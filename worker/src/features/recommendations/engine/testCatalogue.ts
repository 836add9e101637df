// Small catalogues shared by the engine tests.

import { createRng } from './random'
import type { CatalogueItem, Interaction } from './types'

export function item(
  id: string,
  categories: string[],
  tags: string[] = [],
  extra: Partial<CatalogueItem> = {},
): CatalogueItem {
  return {
    id,
    categories,
    parentCategories: categories.map((c) => c.split('/')[0] ?? c),
    tags,
    labels: [],
    createdAt: 0,
    published: true,
    ...extra,
  }
}

export function randomCatalogue(seed: number, size: number): CatalogueItem[] {
  const rng = createRng(seed)
  return Array.from({ length: size }, (_, i) => {
    const categories = [`p${Math.floor(rng() * 3)}/c${Math.floor(rng() * 6)}`]
    const tags = Array.from(
      { length: 1 + Math.floor(rng() * 4) },
      () => `t${Math.floor(rng() * 25)}`,
    )
    return item(`v${i}`, categories, tags, { labels: rng() < 0.3 ? ['V'] : ['OK'], createdAt: i })
  })
}

export function randomInteractions(
  seed: number,
  items: CatalogueItem[],
  users: number,
  count: number,
): Interaction[] {
  const rng = createRng(seed)
  return Array.from({ length: count }, () => ({
    userId: `u${Math.floor(rng() * users)}`,
    itemId: items[Math.floor(rng() * items.length)]?.id ?? '',
    kind: 'view' as const,
    watchFraction: Math.round(rng() * 100) / 100,
    at: Math.floor(rng() * 1000),
  }))
}
