import { useSearchParams } from 'react-router-dom'
import { api } from '../../api/client'
import { read } from '@clipstream/frontend-kit/errors'
import { EmptyState, ErrorState, Loading } from '../../ui/states'
import { useCategories } from '../categories/useCategories'
import { PagedGrid } from '../videos/PagedGrid'

const ALL = 'all'

export function ExplorePage() {
  const categories = useCategories()
  const [params, setParams] = useSearchParams()
  const selected = params.get('c')

  if (categories.status === 'loading') return <Loading label="Loading categories" />
  if (categories.status === 'error') {
    return <ErrorState message={categories.error} onRetry={categories.reload} />
  }
  // Explore opens on every category, newest first; a chip narrows it.
  const categoryId = selected ?? ALL
  const parent = categories.data.find(
    (p) => p.id === categoryId || p.children.some((c) => c.id === categoryId),
  )

  const chip = (id: string, label: string) => (
    <button
      key={id}
      type="button"
      className="chip"
      aria-pressed={id === categoryId}
      onClick={() => setParams({ c: id })}
    >
      {label}
    </button>
  )

  return (
    <div className="page">
      <h1>Explore</h1>
      <div className="chips" role="group" aria-label="Categories">
        {chip(ALL, 'All')}
        {categories.data.map((p) => chip(p.id, `${p.icon} ${p.name}`))}
      </div>
      {parent && parent.children.length > 0 && (
        <div className="chips chips-small" role="group" aria-label={`${parent.name} topics`}>
          {chip(parent.id, 'All')}
          {parent.children.map((c) => chip(c.id, c.name))}
        </div>
      )}
      {categoryId === ALL ? (
        <PagedGrid
          gridKey="latest"
          load={(cursor) => read(api.feeds.latest.$get({ query: { cursor, limit: '12' } }))}
          empty={<EmptyState title="No clips yet" body="Be the first to upload one." />}
        />
      ) : (
        <PagedGrid
          gridKey={`category:${categoryId}`}
          load={(cursor) =>
            read(
              api.feeds.category[':id'].$get({
                param: { id: categoryId },
                query: { cursor, limit: '12' },
              }),
            )
          }
          empty={<EmptyState title="No clips here yet" body="Try another category." />}
        />
      )}
    </div>
  )
}
