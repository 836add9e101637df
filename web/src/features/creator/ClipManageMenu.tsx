import { useId } from 'react'
import type { VideoCard } from '../../api/types'
import { useMenu } from '../../ui/useMenu'
import { ConfirmDelete } from './ConfirmDelete'
import { deleteClip } from './manage'

// The clip page's "⋯" for its creator: edit the details, or delete the clip (asked first).
export function ClipManageMenu({
  video,
  onEdit,
  onDeleted,
}: {
  video: VideoCard
  onEdit: () => void
  onDeleted: () => void
}) {
  const { open, setOpen, toggle } = useMenu()
  const panelId = useId()
  const editable = !['removed', 'uploading', 'failed'].includes(video.status ?? '')
  return (
    <div className="safety-menu clip-manage">
      <button
        ref={toggle}
        type="button"
        className="icon-button safety-toggle"
        aria-label="Manage this clip"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((o) => !o)}
      >
        <span aria-hidden="true">⋯</span>
      </button>
      {open && (
        <div id={panelId} className="menu-panel" role="group" aria-label="Clip options">
          {editable && (
            <button
              type="button"
              className="menu-item"
              onClick={() => {
                setOpen(false)
                onEdit()
              }}
            >
              Edit details
            </button>
          )}
          <ConfirmDelete
            label="Delete clip"
            question="Delete this clip for good? It leaves your profile and every feed, and it cannot be restored."
            onConfirm={async () => {
              await deleteClip(video.id, video.status)
              setOpen(false)
              onDeleted()
            }}
          />
        </div>
      )}
    </div>
  )
}
