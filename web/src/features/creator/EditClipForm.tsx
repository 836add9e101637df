import { useState } from 'react'
import type { VideoCard } from '../../api/types'
import { Field } from '../../ui/Field'
import { useSubmit } from '../../ui/useSubmit'
import { CategoryChooser } from '../categories/CategoryChooser'
import { editClip } from './manage'
import type { ClipEdit } from './manage'

const tagsOf = (text: string) =>
  [...new Set(text.split(/[\s,]+/).map((t) => t.replace(/^#/, '').toLowerCase()))].filter(Boolean)
const same = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n')

// Title, description, categories and tags of one's own clip. Only what changed is sent: new
// words go through the same check as an upload, and the clip is hidden until it is done.
export function EditClipForm({
  video,
  onSaved,
  onCancel,
}: {
  video: VideoCard
  onSaved: (video: VideoCard) => void
  onCancel: () => void
}) {
  const [title, setTitle] = useState(video.title)
  const [description, setDescription] = useState(video.description)
  const [picked, setPicked] = useState<string[]>(video.categories)
  const [tags, setTags] = useState(video.tags.map((t) => `#${t}`).join(' '))

  const { onSubmit, busy, error } = useSubmit(async () => {
    const json: ClipEdit = {}
    if (title.trim() !== video.title) json.title = title.trim()
    if (description !== video.description) json.description = description
    if (!same(picked, video.categories)) json.categories = picked
    const tagList = tagsOf(tags)
    if (!same(tagList, video.tags)) json.tags = tagList
    if (Object.keys(json).length === 0) return onCancel()
    const saved = await editClip(video.id, json)
    onSaved(saved ?? { ...video, ...json })
  })
  const fields = error?.fields ?? {}

  return (
    <form className="panel form edit-clip" onSubmit={onSubmit} noValidate>
      <h2>Edit clip</h2>
      <Field
        label="Title"
        value={title}
        maxLength={100}
        required
        onChange={(e) => setTitle(e.target.value)}
        error={fields.title}
      />
      <div className="field">
        <label htmlFor={`edit-description-${video.id}`}>Description</label>
        <textarea
          id={`edit-description-${video.id}`}
          value={description}
          maxLength={2000}
          rows={3}
          onChange={(e) => setDescription(e.target.value)}
        />
        {fields.description && <p className="field-error">{fields.description}</p>}
      </div>
      <CategoryChooser picked={picked} onChange={setPicked} error={fields.categories} />
      <Field
        label="Tags"
        value={tags}
        placeholder="#dance #tutorial"
        onChange={(e) => setTags(e.target.value)}
        error={fields.tags}
      />
      {(video.status === 'published' || video.status === 'in_review') && (
        <p className="muted">
          A new title, description or tags are checked against the community guidelines again; the
          clip is hidden until that is done.
        </p>
      )}
      {error && !Object.keys(fields).length && (
        <p className="form-error" role="alert">
          {error.message}
        </p>
      )}
      <div className="report-actions">
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="button button-primary" disabled={busy || !title.trim()}>
          {busy ? 'Saving…' : 'Save'}
        </button>
      </div>
    </form>
  )
}
