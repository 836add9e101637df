// TF-IDF over the words that describe a video: its categories, their parents, its tags and
// its moderation labels. Prefixes keep a tag `music` apart from the category `music`.

import { buildSparseMatrix, normaliseRows, type SparseMatrix } from './sparse'
import type { CatalogueItem } from './types'

export function itemTerms(item: CatalogueItem): string[] {
  const terms = new Set<string>()
  const add = (prefix: string, values: string[]): void => {
    for (const value of values) {
      const term = value.trim().toLowerCase()
      if (term) terms.add(`${prefix}:${term}`)
    }
  }
  add('cat', item.categories)
  add('parent', item.parentCategories)
  add('tag', item.tags)
  add('label', item.labels)
  return [...terms]
}

export interface ContentModel {
  itemIds: string[]
  vocabulary: string[]
  idf: Float64Array
  // items x terms, tf-idf weights, every non-empty row L2-normalised.
  matrix: SparseMatrix
}

// Smoothed idf as in scikit-learn, so a term present everywhere still weighs 1 and the
// values are easy to check by hand: ln((1 + N) / (1 + df)) + 1.
export function inverseDocumentFrequency(itemCount: number, documentFrequency: number): number {
  return Math.log((1 + itemCount) / (1 + documentFrequency)) + 1
}

export function buildContentModel(items: CatalogueItem[]): ContentModel {
  const termIndex = new Map<string, number>()
  const vocabulary: string[] = []
  const rows: number[] = []
  const columns: number[] = []
  const itemIds: string[] = []
  items.forEach((item, row) => {
    itemIds.push(item.id)
    for (const term of itemTerms(item)) {
      let column = termIndex.get(term)
      if (column === undefined) {
        column = vocabulary.length
        termIndex.set(term, column)
        vocabulary.push(term)
      }
      rows.push(row)
      columns.push(column)
    }
  })
  const documentFrequency = new Int32Array(vocabulary.length)
  for (const column of columns) documentFrequency[column] = (documentFrequency[column] ?? 0) + 1
  const idf = new Float64Array(vocabulary.length)
  for (let t = 0; t < vocabulary.length; t++) {
    idf[t] = inverseDocumentFrequency(items.length, documentFrequency[t] ?? 0)
  }
  // Terms are deduplicated per item, so tf is 1 and the weight is the idf itself.
  const values = columns.map((column) => idf[column] ?? 0)
  const matrix = normaliseRows(
    buildSparseMatrix(items.length, vocabulary.length, rows, columns, values),
  )
  return { itemIds, vocabulary, idf, matrix }
}
