from django.dispatch import Signal

# Sent with ``note=`` after a note *and its tags* are saved (editor, admin,
# import). Derived data such as the search index and lookup entries listens to
# this rather than post_save, which fires before tags are written.
note_saved = Signal()
