// "Why am I seeing this?": each feed card's reason in words. The engine records which signal
// placed an item (a FeedReason); this turns it into a sentence with the titles and names it
// refers to, read in one D1 statement that runs beside the card query.

import type { FeedReason } from './engine'

export type ReasonKind = FeedReason['kind']

export interface CardReason {
  kind: ReasonKind
  text: string
}

// Shown when the referenced title, category or creator is no longer visible: the reason
// still says which signal placed the clip, without naming something the viewer may not see.
const GENERIC: Record<ReasonKind, string> = {
  watched: 'Because of clips you watched',
  category: 'Popular in a category you like',
  following: 'New from someone you follow',
  trending: 'Popular right now',
  explore: 'Something new to try',
}

interface LabelRow {
  kind: 'video' | 'category' | 'parent' | 'user' | 'picked'
  id: string
  label: string
  parent: string | null
}

// Titles of watched clips (only while anyone may still see them), category and parent
// category names, creators' usernames (not banned), and the parents the viewer picked.
// The unary `+` keeps the titles' part on the primary key (see CARD_SQL in videos/present.ts:
// otherwise SQLite reads every published video through videos_feed_idx).
export const LABELS_SQL = `
SELECT 'video' AS kind, v.id, v.title AS label, NULL AS parent FROM videos v
  JOIN users u ON u.id = v.creator_id
  WHERE v.id IN (SELECT value FROM json_each(?1)) AND +v.status = 'published'
    AND +v.visibility IN ('public', 'unlisted') AND u.banned = 0
UNION ALL
SELECT 'category', c.id, c.name, c.parent_id FROM categories c
  WHERE c.id IN (SELECT value FROM json_each(?2))
UNION ALL
SELECT 'parent', p.id, p.name, NULL FROM parent_categories p
  WHERE p.id IN (SELECT value FROM json_each(?2))
UNION ALL
SELECT 'user', u.id, u.username, NULL FROM users u
  WHERE u.id IN (SELECT value FROM json_each(?3)) AND u.banned = 0
UNION ALL
SELECT 'picked', ui.parent_category_id, '', NULL FROM user_interests ui WHERE ui.user_id = ?4`

// The labels' statement for these reasons (null when none needs a label), so serving can put
// it in the same DB.batch() as the rest of a page.
export function reasonLabelsStatement(
  db: D1Database,
  reasons: FeedReason[],
  viewerId: string | null,
): D1PreparedStatement | null {
  const videoIds = new Set<string>()
  const categoryIds = new Set<string>()
  const creatorIds = new Set<string>()
  for (const r of reasons) {
    if (r.kind === 'watched') videoIds.add(r.itemId)
    else if (r.kind === 'category') categoryIds.add(r.category)
    else if (r.kind === 'following') creatorIds.add(r.creatorId)
  }
  if (videoIds.size + categoryIds.size + creatorIds.size === 0) return null
  return db
    .prepare(LABELS_SQL)
    .bind(
      JSON.stringify([...videoIds]),
      JSON.stringify([...categoryIds]),
      JSON.stringify([...creatorIds]),
      viewerId ?? '',
    )
}

export async function describeReasons(
  db: D1Database,
  reasons: FeedReason[],
  viewerId: string | null,
): Promise<(reason: FeedReason | undefined) => CardReason> {
  const statement = reasonLabelsStatement(db, reasons, viewerId)
  return describeWithLabels(statement ? (await statement.all<LabelRow>()).results : [])
}

export function describeWithLabels(
  rows: unknown[],
): (reason: FeedReason | undefined) => CardReason {
  const titles = new Map<string, string>()
  const categories = new Map<string, { name: string; parent: string | null }>()
  const usernames = new Map<string, string>()
  const picked = new Set<string>()
  for (const row of rows as LabelRow[]) {
    if (row.kind === 'video') titles.set(row.id, row.label)
    else if (row.kind === 'category' || row.kind === 'parent')
      categories.set(row.id, { name: row.label, parent: row.parent })
    else if (row.kind === 'user') usernames.set(row.id, row.label)
    else picked.add(row.id)
  }
  return (reason) => {
    // Lists built before reasons existed carry none; they were ranked by popularity.
    const r: FeedReason = reason ?? { kind: 'trending' }
    switch (r.kind) {
      case 'watched': {
        const title = titles.get(r.itemId)
        return { kind: r.kind, text: title ? `Because you watched “${title}”` : GENERIC.watched }
      }
      case 'category': {
        const category = categories.get(r.category)
        if (!category) return { kind: r.kind, text: GENERIC.category }
        const chosen = picked.has(r.category) || (category.parent && picked.has(category.parent))
        const why = chosen ? 'which you picked' : 'which you watch often'
        return { kind: r.kind, text: `Popular in ${category.name}, ${why}` }
      }
      case 'following': {
        const name = usernames.get(r.creatorId)
        return {
          kind: r.kind,
          text: name ? `New from @${name}, whom you follow` : GENERIC.following,
        }
      }
      default:
        return { kind: r.kind, text: GENERIC[r.kind] }
    }
  }
}
