import { ErrorState, Loading } from '../../ui/states'
import { useCategories } from './useCategories'

export const MAX_CATEGORIES = 3

// The categories of a clip, as chips grouped by parent: at upload and when its creator edits it.
export function CategoryChooser({
  picked,
  onChange,
  error,
}: {
  picked: string[]
  onChange: (picked: string[]) => void
  error?: string
}) {
  const categories = useCategories()
  const toggle = (id: string) =>
    onChange(
      picked.includes(id)
        ? picked.filter((x) => x !== id)
        : picked.length < MAX_CATEGORIES
          ? [...picked, id]
          : picked,
    )
  return (
    <fieldset className="field">
      <legend>
        Categories <span className="muted">(up to {MAX_CATEGORIES})</span>
      </legend>
      {categories.status === 'loading' && <Loading label="Loading categories" />}
      {categories.status === 'error' && (
        <ErrorState message={categories.error} onRetry={categories.reload} />
      )}
      {categories.status === 'ready' &&
        categories.data.map((parent) => (
          <div key={parent.id} className="category-group">
            <span className="muted">
              {parent.icon} {parent.name}
            </span>
            <div className="chips chips-small">
              {parent.children.map((c) => (
                <button
                  key={c.id}
                  type="button"
                  className="chip"
                  aria-pressed={picked.includes(c.id)}
                  disabled={!picked.includes(c.id) && picked.length >= MAX_CATEGORIES}
                  onClick={() => toggle(c.id)}
                >
                  {c.name}
                </button>
              ))}
            </div>
          </div>
        ))}
      {error && <p className="field-error">{error}</p>}
    </fieldset>
  )
}
