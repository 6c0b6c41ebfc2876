"""Pure pandas analytics: frames in, frames out, as of a session. No Flask, no SQL."""
