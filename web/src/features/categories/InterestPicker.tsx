import type { CategoryTree } from '../../api/types'

// Parent categories as toggle chips; used at sign-up and when editing a profile.
export function InterestPicker({
  categories,
  selected,
  onChange,
  error,
}: {
  categories: CategoryTree
  selected: string[]
  onChange: (next: string[]) => void
  error?: string
}) {
  const toggle = (id: string) =>
    onChange(selected.includes(id) ? selected.filter((s) => s !== id) : [...selected, id])
  return (
    <fieldset className="field">
      <legend>What do you like to watch?</legend>
      <div className="chips">
        {categories.map((c) => (
          <button
            key={c.id}
            type="button"
            className="chip"
            aria-pressed={selected.includes(c.id)}
            onClick={() => toggle(c.id)}
          >
            <span aria-hidden="true">{c.icon}</span> {c.name}
          </button>
        ))}
      </div>
      {error && <p className="field-error">{error}</p>}
    </fieldset>
  )
}
