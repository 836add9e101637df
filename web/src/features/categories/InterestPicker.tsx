import { ErrorState, Loading } from '../../ui/states'
import { useCategories } from './useCategories'

// Parent categories as toggle chips; used at sign-up and when editing a profile.
// Loads the categories itself, with a retry when that fails.
export function InterestPicker({
  selected,
  onChange,
  error,
}: {
  selected: string[]
  onChange: (next: string[]) => void
  error?: string
}) {
  const categories = useCategories()
  if (categories.status === 'loading') return <Loading label="Loading interests" />
  if (categories.status === 'error') {
    return <ErrorState message={categories.error} onRetry={categories.reload} />
  }
  const toggle = (id: string) =>
    onChange(selected.includes(id) ? selected.filter((s) => s !== id) : [...selected, id])
  return (
    <fieldset className="field">
      <legend>What do you like to watch?</legend>
      <div className="chips">
        {categories.data.map((c) => (
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
