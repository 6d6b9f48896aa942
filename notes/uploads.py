from pathlib import Path

from django import forms
from django.core.files.storage import default_storage
from django.http import JsonResponse
from markdownx.forms import ImageForm
from markdownx.views import ImageUploadView

from notes import media


class CheckedImageForm(ImageForm):
    # markdownx trusts the browser's content type; ImageField makes Pillow
    # open the file, so only real images are stored.
    image = forms.ImageField()


class CheckedImageUploadView(ImageUploadView):
    form_class = CheckedImageForm

    def form_valid(self, form):
        alt = Path(self.request.FILES["image"].name).stem.replace("[", "").replace("]", "")
        # markdownx would link to storage.url(), which for a bucket is the bucket's own
        # (signed, expiring) address: notes link to kb's access-checked /media/ view instead.
        prepared = form.save(commit=False)
        path = media.url_for(default_storage.save(prepared.path, prepared.image))
        # The editor inserts this at the cursor: on its own line, so dropping an
        # image at the start of "# heading" does not break the heading.
        return JsonResponse({"image_code": f"\n![{alt}]({path})\n"})

    def form_invalid(self, form):
        # markdownx renders a template for non-AJAX posts, but this view has none;
        # every client of this endpoint can read a JSON error.
        # A file Pillow cannot open fails twice (ImageField, then markdownx's own "no files"
        # check on the now empty field); the first reason is the true one.
        # markdownx's form-wide "no files" error follows any field error, so it is dropped then.
        errors = {field: list(errors)[:1] for field, errors in form.errors.items()}
        if len(errors) > 1:
            errors.pop("__all__", None)
        return JsonResponse(errors, status=400)
