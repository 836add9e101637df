// Inline icons: emoji glyphs depend on the fonts a device happens to have.
const paths = {
  comment: 'M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2Z',
  heart:
    'M12 21s-7.5-4.6-10-9.2C.3 8.6 2.1 4.5 6 4.5c2.2 0 3.6 1.3 4.4 2.5h3.2c.8-1.2 2.2-2.5 4.4-2.5 3.9 0 5.7 4.1 4 7.3C19.5 16.4 12 21 12 21Z',
  share: 'M14 4l8 7-8 7v-4c-6 0-9.5 1.8-12 6 1-6.2 4.4-11 12-12V4Z',
  muted:
    'M3 9h4l5-4v14l-5-4H3V9Zm13.6.6 1.4-1.4 2 2 2-2 1.4 1.4-2 2 2 2-1.4 1.4-2-2-2 2-1.4-1.4 2-2-2-2Z',
  sound: 'M3 9h4l5-4v14l-5-4H3V9Zm12.5-2.6a7 7 0 0 1 0 11.2l-1.2-1.6a5 5 0 0 0 0-8l1.2-1.6Z',
  more: 'M5 10a2 2 0 1 1 0 4 2 2 0 0 1 0-4Zm7 0a2 2 0 1 1 0 4 2 2 0 0 1 0-4Zm7 0a2 2 0 1 1 0 4 2 2 0 0 1 0-4Z',
} as const

export function Icon({ name }: { name: keyof typeof paths }) {
  return (
    <svg className="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path d={paths[name]} />
    </svg>
  )
}
