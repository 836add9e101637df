import { CATEGORIES, CATEGORY_NAMES, type Category } from './ScoreChips'

const isCategory = (value: string): value is Category =>
  (CATEGORIES as readonly string[]).includes(value)

// The policy category a rejection is about, as the moderator judges it: sent with a
// rejection only; none keeps the machine's in the history.
export function CategorySelect({
  value,
  onChange,
}: {
  value: Category | ''
  onChange: (category: Category | '') => void
}) {
  return (
    <label>
      Category
      <select
        value={value}
        onChange={(e) => {
          const next = e.target.value
          onChange(isCategory(next) ? next : '')
        }}
      >
        <option value="">As the check found</option>
        {CATEGORIES.map((c) => (
          <option key={c} value={c}>
            {c} · {CATEGORY_NAMES[c]}
          </option>
        ))}
      </select>
    </label>
  )
}
