import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts'
import { useState } from 'react'
import { Link } from 'react-router-dom'
import { api } from '../api/client'
import { messageOf, read } from '@clipstream/frontend-kit/errors'
import type { Overview as OverviewData } from '../api/types'
import { ago, dateTime, pct } from '../ui/format'
import { ErrorNote, Loading } from '../ui/states'
import { useAsync } from '@clipstream/frontend-kit/useAsync'
import { useMe } from '../session'

export function Overview() {
  const overview = useAsync(() => read(api.admin.overview.$get()), 'overview', {
    keepPrevious: true,
  })
  return (
    <div>
      <header className="page-head">
        <h1>Overview</h1>
        {overview.data && (
          <p className="muted">
            Last {overview.data.windowDays} days · {dateTime(overview.data.generatedAt)}
          </p>
        )}
      </header>
      {overview.status === 'loading' && <Loading />}
      {overview.status === 'error' && (
        <ErrorNote message={overview.error} retry={overview.reload} />
      )}
      {overview.status === 'ready' && <OverviewView data={overview.data} />}
    </div>
  )
}

function Waiting({
  label,
  to,
  item,
}: {
  label: string
  to: string
  item: { count: number; oldestAt: number | null }
}) {
  return (
    <Link to={to} className="card" aria-label={`${label} waiting`}>
      <span className="big">{item.count}</span>
      <span>{label}</span>
      <span className="muted">oldest {item.count ? `${ago(item.oldestAt)} ago` : '—'}</span>
    </Link>
  )
}

// Queues the same rebuild as the 03:00 cron (POST /api/admin/recs/rebuild, admins only); it runs
// in the queue consumer, so the figures above change once it finishes, not at once.
function RebuildNow() {
  const [state, setState] = useState<{ busy: boolean; message: string }>({
    busy: false,
    message: '',
  })
  function rebuild() {
    setState({ busy: true, message: '' })
    read(api.admin.recs.rebuild.$post()).then(
      () =>
        setState({
          busy: false,
          message: 'Rebuild queued. Reload this page in a minute or two to see its figures.',
        }),
      (err: unknown) => setState({ busy: false, message: messageOf(err) }),
    )
  }
  return (
    <p>
      <button type="button" disabled={state.busy} onClick={rebuild}>
        Rebuild now
      </button>{' '}
      {state.message && <span role="status">{state.message}</span>}
    </p>
  )
}

function OverviewView({ data }: { data: OverviewData }) {
  const me = useMe()
  const days = data.days.map((d) => ({ ...d, day: d.day.slice(5) }))
  const recs = data.recommendations
  return (
    <>
      <section className="cards">
        <Waiting label="videos in review" to="/videos" item={data.waiting.videos} />
        <Waiting label="held comments" to="/comments" item={data.waiting.comments} />
        <Waiting label="subjects with open reports" to="/reports" item={data.waiting.reports} />
      </section>
      <section className="charts">
        <figure>
          <figcaption>Uploads, publications, rejections and holds per day</figcaption>
          <ResponsiveContainer width="100%" height={240}>
            <BarChart data={days}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="day" />
              <YAxis allowDecimals={false} />
              <Tooltip />
              <Legend />
              <Bar dataKey="uploads" fill="#64748b" />
              <Bar dataKey="publications" fill="#22c55e" />
              <Bar dataKey="rejections" fill="#dc2626" />
              <Bar dataKey="holds" fill="#f59e0b" />
            </BarChart>
          </ResponsiveContainer>
        </figure>
        <figure>
          <figcaption>Engagement per day</figcaption>
          <ResponsiveContainer width="100%" height={240}>
            <LineChart data={days}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="day" />
              <YAxis allowDecimals={false} />
              <Tooltip />
              <Legend />
              <Line dataKey="views" stroke="#2563eb" />
              <Line dataKey="likes" stroke="#db2777" />
              <Line dataKey="comments" stroke="#7c3aed" />
            </LineChart>
          </ResponsiveContainer>
        </figure>
        <figure>
          <figcaption>Automatic vs human decisions per category</figcaption>
          <ResponsiveContainer width="100%" height={240}>
            <BarChart data={data.decisions}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="category" />
              <YAxis allowDecimals={false} />
              <Tooltip />
              <Legend />
              <Bar dataKey="machine" stackId="d" fill="#64748b" name="automatic" />
              <Bar dataKey="human" stackId="d" fill="#0ea5e9" name="human" />
              <Bar dataKey="overturns" fill="#dc2626" name="human overturns" />
            </BarChart>
          </ResponsiveContainer>
        </figure>
      </section>
      <section className="panel">
        <h2>Human overturn rate</h2>
        {/* Five short columns that compare down the page: kept a table, made to fit a phone. */}
        <table className="fit">
          <thead>
            <tr>
              <th>Category</th>
              <th>Automatic</th>
              <th>Human</th>
              <th>Overturns</th>
              <th>Rate</th>
            </tr>
          </thead>
          <tbody>
            {data.decisions.map((d) => (
              <tr key={d.category}>
                <th scope="row">{d.category}</th>
                <td>{d.machine}</td>
                <td>{d.human}</td>
                <td>{d.overturns}</td>
                <td>{pct(d.overturnRate)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="muted">
          An overturn is a human decision against the machine’s last decision (published vs
          rejected); items the machine sent to review are not counted as overturned.
        </p>
      </section>
      <section className="panel">
        <h2>Recommendations</h2>
        {recs ? (
          <dl className="facts">
            <dt>Last rebuild</dt>
            <dd>
              {dateTime(recs.finishedAt)} ({ago(recs.finishedAt)} ago)
            </dd>
            <dt>Duration</dt>
            <dd>{recs.durationMs === null ? '—' : `${(recs.durationMs / 1000).toFixed(1)} s`}</dd>
            <dt>Catalogue</dt>
            <dd>{recs.items ?? '—'} videos</dd>
            <dt>Users ranked</dt>
            <dd>
              {recs.users ?? '—'}
              {recs.failedBatches ? ` (${recs.failedBatches} failed batches)` : ''}
            </dd>
            <dt>Exploration share (feed, 7 days)</dt>
            <dd>{pct(recs.explorationShare)}</dd>
            <dt>Version</dt>
            <dd>{recs.version ?? '—'}</dd>
          </dl>
        ) : (
          <p className="muted">
            No recommendation rebuild has run yet, so feeds show the newest clips. It runs nightly
            at 03:00 UTC
            {me?.role === 'admin' ? ', or use Rebuild now.' : '; an admin can start one now.'}
          </p>
        )}
        {me?.role === 'admin' && <RebuildNow />}
      </section>
    </>
  )
}
