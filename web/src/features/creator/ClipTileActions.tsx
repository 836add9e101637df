import { Link } from 'react-router-dom'
import type { VideoCard } from '../../api/types'
import { AppealOutcome } from './AppealControl'
import { ConfirmDelete } from './ConfirmDelete'
import { APPEALABLE, deleteClip } from './manage'
import type { Appeal } from './manage'

// Under each tile of My videos: where an appeal stands, Edit, Appeal and Delete (asked first).
export function ClipTileActions({
  video,
  appeal,
  onDeleted,
}: {
  video: VideoCard
  // null: no appeal yet; undefined: not known yet (no Appeal link until it is).
  appeal: Appeal | null | undefined
  onDeleted: (id: string) => void
}) {
  // A failed or cancelled upload has nothing worth editing: it can only go.
  const editable = !['removed', 'uploading', 'failed'].includes(video.status ?? '')
  // An appeal is made once: where one exists its outcome shows instead of the link.
  const appealable = appeal === null && !!video.status && APPEALABLE.video.includes(video.status)
  return (
    <div className="tile-actions">
      {appeal && <AppealOutcome appeal={appeal} />}
      <div className="tile-buttons">
        {editable && (
          <Link
            to={`/v/${video.id}?edit=1`}
            className="link-button"
            aria-label={`Edit ${video.title}`}
          >
            Edit
          </Link>
        )}
        {appealable && (
          <Link to={`/v/${video.id}`} className="link-button" aria-label={`Appeal ${video.title}`}>
            Appeal
          </Link>
        )}
        <ConfirmDelete
          label="Delete"
          triggerName={`Delete ${video.title}`}
          triggerClass="link-button"
          question={`Delete “${video.title}” for good? It cannot be restored.`}
          onConfirm={async () => {
            await deleteClip(video.id, video.status)
            onDeleted(video.id)
          }}
        />
      </div>
    </div>
  )
}
