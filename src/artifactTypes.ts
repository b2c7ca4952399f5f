/**
 * Which artifact types a page may show inline: those a browser displays without running
 * anything. The same list as the server's `INLINE_TYPES` (`_core/artifacts.py`); every
 * other type (HTML, SVG, XML, scripts, unknown) is only ever downloaded or shown as text.
 */
const INLINE_TYPES = new Set([
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'image/avif',
  'image/bmp',
  'text/plain',
  'text/csv'
]);

/** The media type without parameters, lower case. */
export function mediaType(mimetype: string): string {
  return mimetype.split(';')[0].trim().toLowerCase();
}

/** Whether a file of this type can be shown inline without running anything. */
export function isInlineSafe(mimetype: string): boolean {
  const type = mediaType(mimetype);
  return INLINE_TYPES.has(type) || type.startsWith('audio/') || type.startsWith('video/');
}

/** The type to give an object URL of the file: its own if safe, else a download. */
export function objectUrlType(mimetype: string): string {
  return isInlineSafe(mimetype) ? mediaType(mimetype) : 'application/octet-stream';
}

/** How a page shows a file of this type: as an image, a video, a sound, or not at all. */
export function mediaKind(mimetype: string): 'image' | 'video' | 'audio' | null {
  const type = mediaType(mimetype);
  const kind = type.split('/')[0];
  if (kind === 'image') {
    return isInlineSafe(type) ? 'image' : null;
  }
  return kind === 'video' || kind === 'audio' ? kind : null;
}
