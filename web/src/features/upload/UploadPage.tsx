import { useState } from 'react'
import type { DragEvent, FormEvent } from 'react'
import { Link } from 'react-router-dom'
import { EmptyState, Loading } from '../../ui/states'
import { useSession } from '../auth/session'
import { CategoryChooser } from '../categories/CategoryChooser'
import { ACCEPT_ATTRIBUTE, ACCEPTED_NAMES, checkFile, contentTypeOf } from './fileChecks'
import { UploadProgress } from './UploadProgress'
import { UploadSession } from './uploadSession'

const MAX_TAGS = 10

const tagsOf = (text: string) =>
  [...new Set(text.split(/[\s,]+/).map((t) => t.replace(/^#/, '').toLowerCase()))].filter(Boolean)

export function UploadPage() {
  const { user, ready } = useSession()
  const [file, setFile] = useState<File | null>(null)
  const [fileError, setFileError] = useState<string | null>(null)
  const [title, setTitle] = useState('')
  const [description, setDescription] = useState('')
  const [picked, setPicked] = useState<string[]>([])
  const [tags, setTags] = useState('')
  const [visibility, setVisibility] = useState<'public' | 'unlisted' | 'private'>('public')
  const [session, setSession] = useState<UploadSession | null>(null)
  const [dragging, setDragging] = useState(false)

  if (!ready) return <Loading />
  if (!user) {
    return (
      <EmptyState
        title="Log in to upload"
        action={
          <Link to="/login?next=/upload" className="button button-primary">
            Log in
          </Link>
        }
      />
    )
  }

  if (session) {
    return (
      <div className="page narrow">
        <h1>Upload</h1>
        <p className="muted">{file?.name}</p>
        <UploadProgress
          session={session}
          onDone={() => {
            setSession(null)
            setFile(null)
          }}
        />
      </div>
    )
  }

  const choose = (chosen: File | undefined) => {
    if (!chosen) return
    const problem = checkFile(chosen)
    setFileError(problem)
    setFile(problem ? null : chosen)
    if (!problem && !title) setTitle(chosen.name.replace(/\.[^.]+$/, '').slice(0, 100))
  }

  const onDrop = (e: DragEvent) => {
    e.preventDefault()
    setDragging(false)
    choose(e.dataTransfer.files[0])
  }

  const tagList = tagsOf(tags)
  const tagError = tagList.length > MAX_TAGS ? `At most ${MAX_TAGS} tags` : null

  const submit = (e: FormEvent) => {
    e.preventDefault()
    if (!file || tagError || !title.trim()) return
    const next = new UploadSession(file, contentTypeOf(file), {
      title: title.trim(),
      description,
      categories: picked,
      tags: tagList,
      visibility,
    })
    setSession(next)
    next.start()
  }

  return (
    <form className="page narrow form" onSubmit={submit}>
      <h1>Upload a clip</h1>
      <label
        className={dragging ? 'dropzone dropzone-over' : 'dropzone'}
        onDragOver={(e) => {
          e.preventDefault()
          setDragging(true)
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <input
          type="file"
          accept={ACCEPT_ATTRIBUTE}
          className="visually-hidden"
          data-testid="file-input"
          onChange={(e) => choose(e.target.files?.[0])}
        />
        {file ? (
          <span>
            <strong>{file.name}</strong> · {(file.size / 1024 / 1024).toFixed(1)} MB — choose
            another
          </span>
        ) : (
          <span>Drop a video here or choose a file ({ACCEPTED_NAMES}; up to 500 MB)</span>
        )}
      </label>
      {fileError && (
        <p className="field-error" role="alert">
          {fileError}
        </p>
      )}
      <div className="field">
        <label htmlFor="upload-title">Title</label>
        <input
          id="upload-title"
          value={title}
          maxLength={100}
          onChange={(e) => setTitle(e.target.value)}
          required
        />
      </div>
      <div className="field">
        <label htmlFor="upload-description">Description</label>
        <textarea
          id="upload-description"
          value={description}
          maxLength={2000}
          rows={3}
          onChange={(e) => setDescription(e.target.value)}
        />
      </div>
      <CategoryChooser picked={picked} onChange={setPicked} />
      <div className="field">
        <label htmlFor="upload-tags">Tags</label>
        <input
          id="upload-tags"
          value={tags}
          placeholder="#dance #tutorial"
          onChange={(e) => setTags(e.target.value)}
        />
        {tagError && <p className="field-error">{tagError}</p>}
      </div>
      <div className="field">
        <label htmlFor="upload-visibility">Who can watch</label>
        <select
          id="upload-visibility"
          value={visibility}
          onChange={(e) => {
            const v = e.target.value
            if (v === 'public' || v === 'unlisted' || v === 'private') setVisibility(v)
          }}
        >
          <option value="public">Everyone</option>
          <option value="unlisted">Anyone with the link</option>
          <option value="private">Only me</option>
        </select>
      </div>
      <button
        type="submit"
        className="button button-primary"
        disabled={!file || !title.trim() || !!tagError}
      >
        Upload
      </button>
    </form>
  )
}
