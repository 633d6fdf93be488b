// The reactions a visitor may send, apart from the rest of the room's protocol: the page reads
// them from the first file, which then needs none of the protocol's readers.

/** The reactions a visitor may send: a short fixed set, so nobody paints the room with text. */
export const REACTIONS = Object.freeze(['👍', '👏', '😂', '😮', '❤️', '🎉']);
