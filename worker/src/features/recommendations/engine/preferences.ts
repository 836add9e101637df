// Per-user category preferences over a recent window: what the 04:00 job writes to
// user_category_interest and what ranking uses to widen candidates beyond neighbours.

import { interactionStrength } from './collaborative'
import { DAY_MS, type Interaction } from './types'

export interface CategoryPreference {
  category: string
  // Share of the user's weighted activity in the window, 0..1.
  score: number
  interactions: number
}

export interface PreferenceOptions {
  now: number
  windowDays: number
  maxCategories: number
  // A runner-up below this share of the top category is noise, not a preference.
  minRelativeScore: number
}

export const defaultPreferenceOptions: Omit<PreferenceOptions, 'now'> = {
  windowDays: 30,
  maxCategories: 3,
  minRelativeScore: 0.25,
}

export function analysePreferences(
  interactions: Interaction[],
  categoriesOf: (itemId: string) => string[] | undefined,
  options: Partial<PreferenceOptions> & { now: number },
): Map<string, CategoryPreference[]> {
  const opts = { ...defaultPreferenceOptions, ...options }
  const since = opts.now - opts.windowDays * DAY_MS
  const perUser = new Map<string, Map<string, { score: number; interactions: number }>>()
  for (const interaction of interactions) {
    if (interaction.at < since || interaction.at > opts.now) continue
    const strength = interactionStrength(interaction)
    if (strength <= 0) continue
    const categories = categoriesOf(interaction.itemId)
    if (!categories || categories.length === 0) continue
    let user = perUser.get(interaction.userId)
    if (!user) {
      user = new Map()
      perUser.set(interaction.userId, user)
    }
    // A video in two categories splits its weight, so multi-category uploads gain nothing.
    const share = strength / categories.length
    for (const category of categories) {
      const entry = user.get(category) ?? { score: 0, interactions: 0 }
      entry.score += share
      entry.interactions += 1
      user.set(category, entry)
    }
  }
  const out = new Map<string, CategoryPreference[]>()
  for (const [userId, categories] of perUser) {
    out.set(userId, topPreferences(categories, opts))
  }
  return out
}

function topPreferences(
  categories: Map<string, { score: number; interactions: number }>,
  opts: PreferenceOptions,
): CategoryPreference[] {
  let total = 0
  for (const entry of categories.values()) total += entry.score
  const ranked = [...categories.entries()]
    .map(([category, e]) => ({
      category,
      score: total > 0 ? e.score / total : 0,
      interactions: e.interactions,
    }))
    .sort((a, b) => b.score - a.score || a.category.localeCompare(b.category))
  const top = ranked[0]?.score ?? 0
  return ranked
    .slice(0, opts.maxCategories)
    .filter((p, i) => i === 0 || p.score >= opts.minRelativeScore * top)
}
