import { Icon } from './icons'

// Clips start muted (browsers only autoplay silent video); one tap brings the sound.
export function MuteButton({ muted, onToggle }: { muted: boolean; onToggle: () => void }) {
  return (
    <button
      type="button"
      className="mute-button"
      onClick={onToggle}
      aria-pressed={!muted}
      aria-label={muted ? 'Unmute' : 'Mute'}
    >
      {muted ? (
        <>
          <Icon name="muted" /> Tap to unmute
        </>
      ) : (
        <Icon name="sound" />
      )}
    </button>
  )
}
