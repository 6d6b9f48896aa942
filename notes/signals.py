from django.dispatch import Signal

# Sent with ``note=`` after a note *and its tags* are saved (editor, admin,
# import). Derived data such as the search index and lookup entries listens to
# this rather than post_save, which fires before tags are written.
# Also sent: ``editor`` (the user who saved, or None) and ``message`` (the
# optional edit summary), which the revision history records.
note_saved = Signal()
